package dev.mathtune.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.Tensor;

import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Tensors;
import dev.mathtune.engine.Operators;
import dev.mathtune.engine.Scope;

/**
 * Measured read bandwidth, the rate at which decoding at batch 1 could at best stream its weights: the best of ten
 * {@code sum()} passes over one fp32 tensor of random values (each byte read once, almost nothing written), with the
 * engine's thread count, and separately the best of ten matrix-vector products over the same tensor through OpenBLAS's
 * sgemv and through XNNPACK's fully-connected operator (the kernels of one-row products; the bound takes the highest
 * of the three, so a pass that happens to read slowly cannot make the bound look easy). The tensor is at least four
 * times the largest CPU cache, STREAM's rule (an Intel VM of an earlier session had a 260 MiB L3: over a 256 MiB
 * tensor part of every pass came from it), and at least 1 GiB.
 *
 * <p>The {@code sum()} passes run first, after a pause, and never right after a matrix-vector product: OpenBLAS's
 * idle workers spin for about 0.1 s after each call and take a core from libtorch's OpenMP threads, which halved the
 * {@code sum()} reading when the two passes alternated (22.7–29.4 against 46.8–51.5 GB/s on the AMD VM of the eighth
 * session, same tensor, same process; docs/BENCHMARKS.md).
 */
public final class MemoryBandwidth {
    private static final long MIN_BYTES = 1L << 30;
    private static final int PASSES = 10;
    /** Longer than OpenBLAS's idle workers spin after a call (2^28 cycles, about 0.1 s). */
    private static final long QUIET_MILLIS = 500;

    /**
     * Bytes per second read by {@code sum()} (the machine's streaming rate), by OpenBLAS's sgemv and by XNNPACK's
     * matrix-vector product (0 where this libtorch has no XNNPACK).
     */
    public record Reading(double sumBytesPerSecond, double matrixVectorBytesPerSecond, double xnnpackBytesPerSecond) {
        /** The highest of the three: the bound's bandwidth. */
        public double best() {
            return Math.max(sumBytesPerSecond, Math.max(matrixVectorBytesPerSecond, xnnpackBytesPerSecond));
        }
    }

    private MemoryBandwidth() {
    }

    /** The three rates over a tensor four times the largest cache, at least 1 GiB. */
    public static Reading measure() {
        return measure(bufferBytes(largestCacheBytes()) / 4);
    }

    /** The three rates over {@code floats} fp32 values (rounded down to whole rows of 1024). */
    static Reading measure(long floats) {
        Engine.init();
        long n = Math.max(1, floats >> 10) << 10;
        try (Scope s = Scope.open()) {
            Tensor t = Tensors.hostRand(n);
            Tensor matrix = t.view(n >> 10, 1 << 10);
            Tensor v = Tensors.hostOnes(1 << 10);
            quiet();
            double bestSum = Double.MAX_VALUE, bestMv = Double.MAX_VALUE;
            for (int i = 0; i < PASSES; i++) {
                long t0 = System.nanoTime();
                t.sum().item_float();
                bestSum = Math.min(bestSum, (System.nanoTime() - t0) / 1e9);
            }
            for (int i = 0; i < PASSES; i++) {
                long t0 = System.nanoTime();
                torch.mv(matrix, v).sum().item_float();
                bestMv = Math.min(bestMv, (System.nanoTime() - t0) / 1e9);
            }
            return new Reading(n * 4 / bestSum, n * 4 / bestMv, xnnpack(matrix, v));
        }
    }

    /** Bytes per second of the best of ten XNNPACK products over {@code matrix}; 0 without XNNPACK. */
    private static double xnnpack(Tensor matrix, Tensor v) {
        IValue context;
        try {
            context = Operators.call("prepacked::linear_clamp_prepack", new IValue(matrix), new IValue(), new IValue(),
                    new IValue()).get(0);
        } catch (RuntimeException e) {
            return 0;
        }
        Tensor row = v.view(1, -1);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < PASSES; i++) {
            long t0 = System.nanoTime();
            Tensor y = new Tensor(Operators.call("prepacked::linear_clamp_run", new IValue(row), context).get(0).toTensor());
            y.sum().item_float();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return matrix.numel() * 4 / best;
    }

    private static void quiet() {
        try {
            Thread.sleep(QUIET_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The measuring tensor's size: four times the largest cache, at least {@link #MIN_BYTES}. */
    static long bufferBytes(long largestCache) {
        return Math.max(MIN_BYTES, 4 * largestCache);
    }

    /** The largest cache of CPU 0 in bytes from Linux's sysfs ({@code index*}/size, e.g. {@code 266240K}); 0 if unknown. */
    static long largestCacheBytes() {
        return largestCacheBytes(Path.of("/sys/devices/system/cpu/cpu0/cache"));
    }

    static long largestCacheBytes(Path dir) {
        long best = 0;
        if (!Files.isDirectory(dir)) return 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "index*")) {
            for (Path p : ds) {
                Path size = p.resolve("size");
                if (Files.isReadable(size)) best = Math.max(best, parseSize(Files.readString(size).trim()));
            }
        } catch (IOException | RuntimeException e) {
            return best;
        }
        return best;
    }

    /** {@code 48K}, {@code 2048K}, {@code 260M} or plain bytes; 0 if unreadable. */
    static long parseSize(String s) {
        if (s.isEmpty()) return 0;
        char unit = Character.toUpperCase(s.charAt(s.length() - 1));
        long scale = unit == 'K' ? 1L << 10 : unit == 'M' ? 1L << 20 : unit == 'G' ? 1L << 30 : 1;
        String digits = scale == 1 ? s : s.substring(0, s.length() - 1);
        try {
            return Long.parseLong(digits) * scale;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
