package dev.mathtune.model;

import org.bytedeco.pytorch.Dispatcher;
import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.IValueVector;
import org.bytedeco.pytorch.OperatorHandle;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Scope;

/**
 * The lm_head product for a few fp32 inference rows (2 to {@value #MAX_ROWS}: batched decoding), through oneDNN
 * with the weight reordered into its blocked layout once. OpenBLAS's sgemm repacks the whole 151936×896 matrix on
 * every call and takes 69 ms at 16 rows; oneDNN on the reordered copy takes 42 ms (docs/BENCHMARKS.md). The copy
 * costs the head's size again in memory and is made at the first batched call, so batch-1 decoding, training and
 * scoring of long texts never pay for it. Results equal OpenBLAS's to rounding (summation order).
 */
final class SmallBatchHead {
    static final int MAX_ROWS = 32;
    private static OperatorHandle reorder;
    private final Tensor weight;
    private Tensor reordered;
    private boolean unavailable;

    SmallBatchHead(Tensor weight) {
        this.weight = weight;
    }

    /** Whether {@code rows} rows of {@code x} go through this path. */
    boolean serves(Tensor x, long rows) {
        return !unavailable && rows >= 2 && rows <= MAX_ROWS && x.is_cpu()
                && x.scalar_type().value == torch.ScalarType.Float.value
                && weight.scalar_type().value == torch.ScalarType.Float.value
                && !x.requires_grad() && !weight.requires_grad();
    }

    /** {@code (…, H) → (…, V)} logits, or null when oneDNN is not available in this libtorch build. */
    synchronized Tensor apply(Tensor x) {
        if (reordered == null && !reorderOnce()) return null;
        long h = x.size(-1);
        long[] shape = x.sizes().vec().get();
        shape[shape.length - 1] = weight.size(0);
        Tensor rows = x.reshape(-1, h).contiguous();
        return torch.mkldnn_linear(rows.to_mkldnn(), reordered, new TensorOptional()).to_dense().view(shape);
    }

    private boolean reorderOnce() {
        try {
            if (reorder == null) {
                reorder = Dispatcher.singleton().findSchemaOrThrow("mkldnn::_reorder_linear_weight", "");
                reorder.retainReference(); // outlives the scope it was looked up in
            }
            IValueVector stack = new IValueVector(new IValue(weight), new IValue(16L));
            reorder.callBoxed(stack);
            // toTensor() points into the stack's IValue, which the enclosing scope frees: take our own reference
            reordered = Scope.keep(new Tensor(stack.get(0).toTensor()));
            return true;
        } catch (RuntimeException e) {
            unavailable = true; // a libtorch without oneDNN: OpenBLAS serves every batch
            return false;
        }
    }
}
