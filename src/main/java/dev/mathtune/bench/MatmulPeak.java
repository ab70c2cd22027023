package dev.mathtune.bench;

import org.bytedeco.pytorch.Tensor;

import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Tensors;
import dev.mathtune.engine.Scope;

/**
 * Measured matmul peak: one warm-up, then the best of ten 2048×2048×2048 products (2·n³ FLOPs each), as
 * {@code bench_cpu.py} measures it (fp32), or the same in bf16. A ceiling: the best repetition, not the mean.
 */
public final class MatmulPeak {
    private MatmulPeak() {
    }

    /** FLOP/s. */
    public static double fp32FlopsPerSecond() {
        return flopsPerSecond(DType.FP32);
    }

    /** FLOP/s of bf16 products (the denominator of a bf16 step's MFU). */
    public static double bf16FlopsPerSecond() {
        return flopsPerSecond(DType.BF16);
    }

    private static double flopsPerSecond(DType dtype) {
        Engine.init();
        try (Scope s = Scope.open()) {
            long n = 2048;
            Tensor a = Tensors.randn(n, n);                        // on the engine's device: its peak
            Tensor b = Tensors.randn(n, n);
            if (dtype != DType.FP32) {
                a = a.to(dtype.scalarType());
                b = b.to(dtype.scalarType());
            }
            Tensor x = a, y = b;
            double best = Double.MAX_VALUE;
            for (int i = 0; i <= 10; i++) {
                long t0 = System.nanoTime();
                try (Scope product = Scope.open()) {
                    x.matmul(y).sum().item_float();
                }
                if (i > 0) best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return 2.0 * n * n * n / best;
        }
    }
}
