package dev.mathtune.model;

import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Operators;
import dev.mathtune.engine.Scope;

/**
 * The lm_head product {@code (…, H) → (…, V)}. A few fp32 inference rows (2 to {@value #MAX_ROWS}: batched
 * decoding) go through oneDNN with the weight reordered into its blocked layout once: OpenBLAS's sgemm repacks the
 * whole 151936×896 matrix on every call and takes 69 ms at 16 rows, oneDNN on the reordered copy 42 ms
 * (docs/BENCHMARKS.md). The copy costs the head's size again in memory and is made at the first batched call, so
 * batch-1 decoding, training and scoring of long texts never pay for it. Everything else is a {@link DenseLinear}.
 * Results equal OpenBLAS's to rounding (summation order).
 */
final class LmHead implements Projection {
    static final int MAX_ROWS = 32;
    private final DenseLinear dense;
    private Tensor reordered;
    private boolean unavailable;

    LmHead(Tensor weight) {
        this.dense = new DenseLinear(weight, null);
    }

    @Override
    public Tensor weight() {
        return dense.weight();
    }

    @Override
    public Tensor apply(Tensor x) {
        if (!usesOneDnn(x) || !reorderOnce()) return dense.apply(x);
        long[] shape = x.sizes().vec().get();
        shape[shape.length - 1] = weight().size(0);
        Tensor rows = x.reshape(-1, x.size(-1)).contiguous();
        return torch.mkldnn_linear(rows.to_mkldnn(), reordered, new TensorOptional()).to_dense().view(shape);
    }

    /** Whether {@code x} goes through oneDNN: 2 to {@value #MAX_ROWS} fp32 CPU rows, no autograd. */
    boolean usesOneDnn(Tensor x) {
        long rows = x.numel() / x.size(-1);
        Tensor w = weight();
        return !unavailable && rows >= 2 && rows <= MAX_ROWS && x.is_cpu()
                && x.scalar_type().value == torch.ScalarType.Float.value
                && w.scalar_type().value == torch.ScalarType.Float.value
                && !x.requires_grad() && !w.requires_grad();
    }

    /** Reorders the weight at the first call; false when this libtorch build has no oneDNN. */
    private synchronized boolean reorderOnce() {
        if (reordered != null) return true;
        try {
            IValue out = Operators.call("mkldnn::_reorder_linear_weight", new IValue(weight()), new IValue(16L)).get(0);
            // toTensor() points into the stack, which the enclosing scope frees: take our own reference
            reordered = Scope.keep(new Tensor(out.toTensor()));
            return true;
        } catch (RuntimeException e) {
            unavailable = true; // OpenBLAS serves every batch
            return false;
        }
    }
}
