package dev.mathtune.model;

import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Operators;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * {@code y = x·Wᵀ (+ b)} where a band of fp32 inference row counts (batched decoding) goes through oneDNN on a copy
 * of the weight reordered once into its blocked layout. OpenBLAS's sgemm repacks the whole weight on every call, so
 * at 8–64 rows it runs well below the rate at which the weights stream from memory; oneDNN on the reordered copy
 * does not repack (docs/BENCHMARKS.md, Generation, third and fourth sessions: 2.04 → 1.44 ms for a 4864×896
 * matrix at 16 rows, 69 → 42 ms for the 151936×896 lm_head). The copy costs the weight's size again in memory and
 * is made at the first call in the band, so batch-1 decoding, prefill, training and scoring never pay for it; it is
 * remade when the weight changes in place (its version counter moves: an optimizer step, a load). Other calls are a
 * {@link DenseLinear}. Results equal OpenBLAS's to rounding (summation order).
 */
final class PackedLinear implements Projection {
    /** The lm_head's band: measured faster from 2 rows up to 32. */
    static final int HEAD_MIN_ROWS = 2, HEAD_MAX_ROWS = 32;
    /** The MLP projections' band: below 8 rows oneDNN's small-M kernels are slower than OpenBLAS; tested to 64. */
    static final int MLP_MIN_ROWS = 8, MLP_MAX_ROWS = 64;
    private static final boolean MLP_BAND = openBlasThreadsYield(System.getenv("OPENBLAS_THREAD_TIMEOUT"));
    private final DenseLinear dense;
    private final int minRows, maxRows;
    private Tensor reordered;
    private long reorderedVersion = -1;
    private boolean unavailable;

    PackedLinear(Tensor weight, Tensor bias, int minRows, int maxRows) {
        this.dense = new DenseLinear(weight, bias);
        this.minRows = minRows;
        this.maxRows = maxRows;
    }

    static PackedLinear lmHead(Tensor weight) {
        return new PackedLinear(weight, null, HEAD_MIN_ROWS, HEAD_MAX_ROWS);
    }

    /**
     * An MLP projection: packed when OpenBLAS's idle threads go to sleep quickly ({@link #openBlasThreadsYield}),
     * else a plain {@link DenseLinear}.
     */
    static Projection mlp(Tensor weight) {
        return MLP_BAND ? new PackedLinear(weight, null, MLP_MIN_ROWS, MLP_MAX_ROWS) : new DenseLinear(weight, null);
    }

    /**
     * oneDNN runs on libtorch's OpenMP threads, OpenBLAS on its own. After each call OpenBLAS's workers spin for
     * 2^28 cycles (about 0.1 s) by default before sleeping, so with two cores they take the CPU from oneDNN's
     * threads when the two alternate within a layer: batch-16 decoding fell from 58 to 47 tok/s with packed MLP
     * weights. With {@code OPENBLAS_THREAD_TIMEOUT} at most 8 (2^8 cycles; the launcher sets 4 for its decoding
     * commands, the test runner for every test) they sleep at once and packing gains (58 → 66–71 tok/s,
     * docs/BENCHMARKS.md).
     */
    static boolean openBlasThreadsYield(String timeout) {
        if (timeout == null) return false;
        try {
            return Integer.parseInt(timeout.trim()) <= 8;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    @Override
    public Tensor weight() {
        return dense.weight();
    }

    @Override
    public Tensor apply(Tensor x) {
        if (!usesOneDnn(x) || !reorderIfStale()) return dense.apply(x);
        long[] shape = x.sizes().vec().get();
        shape[shape.length - 1] = weight().size(0);
        Tensor rows = x.reshape(-1, x.size(-1)).contiguous();
        TensorOptional bias = dense.bias() == null ? new TensorOptional() : new TensorOptional(dense.bias());
        return torch.mkldnn_linear(rows.to_mkldnn(), reordered, bias).to_dense().view(shape);
    }

    /** Whether {@code x} goes through oneDNN: a row count in the band, fp32 on the CPU, no autograd. */
    boolean usesOneDnn(Tensor x) {
        long rows = x.numel() / x.size(-1);
        Tensor w = weight();
        return !unavailable && rows >= minRows && rows <= maxRows && x.is_cpu()
                && x.scalar_type().value == torch.ScalarType.Float.value
                && w.scalar_type().value == torch.ScalarType.Float.value
                && !x.requires_grad() && !w.requires_grad();
    }

    /** Reorders the weight if it has none or the weight changed since; false when this libtorch has no oneDNN. */
    private synchronized boolean reorderIfStale() {
        long version = weight()._version();
        if (reordered != null && reorderedVersion == version) return true;
        try {
            IValue out = Operators.call("mkldnn::_reorder_linear_weight", new IValue(weight()), new IValue(16L)).get(0);
            // toTensor() points into the stack, which the enclosing scope frees: take our own reference
            Tensor fresh = Scope.keep(new Tensor(out.toTensor()));
            if (reordered != null) Tensors.release(reordered);
            reordered = fresh;
            reorderedVersion = version;
            return true;
        } catch (RuntimeException e) {
            unavailable = true; // OpenBLAS serves every batch
            return false;
        }
    }
}
