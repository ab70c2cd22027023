package dev.mathtune.bench;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;

/**
 * Measured read bandwidth: the best of several {@code sum()} passes and matrix-vector products over a 256 MiB fp32
 * tensor (each byte read once, almost nothing written; far larger than any cache), with the engine's thread count:
 * the rate at which decoding at batch 1 can stream its weights.
 */
public final class MemoryBandwidth {
    private MemoryBandwidth() {
    }

    /** Bytes per second. */
    public static double readBytesPerSecond() {
        Engine.init();
        try (Scope s = Scope.open()) {
            long n = 1L << 26; // 64 Mi floats = 256 MiB
            Tensor t = torch.ones(new long[]{n}, new TensorOptions(torch.ScalarType.Float));
            Tensor matrix = t.view(1 << 16, 1 << 10);
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
}
