package dev.mathtune.model;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Tensors;

/**
 * The additive attention bias {@code (B, 1, 1, T, S)}: 0 where query t may attend to key s, the dtype's most
 * negative finite value elsewhere (HF's convention, so a fully masked row stays finite). A key is visible when it
 * is valid for that row (not padding) and not in the future; with segment ids (packing), also only within the
 * same segment.
 */
public final class AttentionMask {
    private AttentionMask() {
    }

    /**
     * @param keyValid {@code (B, S)} 1 for real keys (prefix, prompt, generated), 0 for padding or unused columns
     * @param queryColumn column of query 0 on the key timeline; query t sits at {@code queryColumn + t}
     * @param t number of queries
     */
    public static Tensor causal(Tensor keyValid, long queryColumn, long t, DType dtype) {
        long s = keyValid.size(1);
        Tensor q = Tensors.arange(queryColumn, queryColumn + t).unsqueeze(1); // (T, 1)
        Tensor k = Tensors.arange(0, s).unsqueeze(0);                          // (1, S)
        Tensor allowed = k.le(q).unsqueeze(0).bitwise_and(keyValid.to(org.bytedeco.pytorch.global.torch.ScalarType.Bool).unsqueeze(1)); // (B, T, S)
        return toBias(allowed, dtype);
    }

    /** Adds segment separation: query and key must carry the same segment id ({@code (B, T)}, keys = queries). */
    public static Tensor packed(Tensor segments, DType dtype) {
        long t = segments.size(1);
        Tensor q = Tensors.arange(0, t).unsqueeze(1);
        Tensor k = Tensors.arange(0, t).unsqueeze(0);
        Tensor same = segments.unsqueeze(2).eq(segments.unsqueeze(1));        // (B, T, T)
        Tensor allowed = same.bitwise_and(k.le(q).unsqueeze(0));
        return toBias(allowed, dtype);
    }

    private static Tensor toBias(Tensor allowed, DType dtype) {
        Tensor zeros = Tensors.zeros(dtype, Tensors.shape(allowed));
        return zeros.masked_fill(allowed.bitwise_not(), new Scalar(mostNegative(dtype)))
                .unsqueeze(1).unsqueeze(1); // (B, 1, 1, T, S)
    }

    /** {@code torch.finfo(dtype).min}. */
    static double mostNegative(DType dtype) {
        return switch (dtype) {
            case FP32 -> -Float.MAX_VALUE;
            case BF16 -> -3.3895313892515355e38;
            case FP16 -> -65504.0;
            case FP64 -> -Double.MAX_VALUE;
        };
    }
}
