package dev.mathtune.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;

/**
 * Measured read bandwidth: the best of several {@code sum()} passes and matrix-vector products over one fp32
 * tensor (each byte read once, almost nothing written), with the engine's thread count: the rate at which decoding
 * at batch 1 can stream its weights. The tensor is at least four times the largest CPU cache, STREAM's rule (this
 * machine's L3 is 260 MiB: over a 256 MiB tensor part of every pass came from it, 29–30 GB/s against 28–29 over
 * 2 GiB), and at least 1 GiB.
 */
public final class MemoryBandwidth {
    private static final long MIN_BYTES = 1L << 30;

    private MemoryBandwidth() {
    }

    /** Bytes per second. */
    public static double readBytesPerSecond() {
        Engine.init();
        long n = bufferBytes(largestCacheBytes()) / 4 / 1024 * 1024;
        try (Scope s = Scope.open()) {
            Tensor t = torch.ones(new long[]{n}, new TensorOptions(torch.ScalarType.Float));
            Tensor matrix = t.view(n >> 10, 1 << 10);
            Tensor v = torch.ones(new long[]{1 << 10}, new TensorOptions(torch.ScalarType.Float));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 10; i++) {
                long t0 = System.nanoTime();
                t.sum().item_float();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                t0 = System.nanoTime();
                torch.mv(matrix, v).sum().item_float();
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return n * 4 / best;
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
