package dev.mathtune.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * Rotary position embedding, HF's "rotate_half" form: {@code inv_freq[i] = θ^(-2i/d)} (fp32),
 * {@code angle = pos·inv_freq}, {@code emb = cat(angle, angle)},
 * {@code x' = x·cos(emb) + rotate_half(x)·sin(emb)} with {@code rotate_half(x) = cat(-x[d/2:], x[:d/2])}
 * (dimension i pairs with i + d/2, not with its neighbour). Computed as {@code x·cos + roll(x, d/2)·sin±} where
 * {@code sin± = cat(-sin[:d/2], sin[d/2:])} is made once per forward: the same products bit for bit (a sign moves
 * from one factor to the other), with four tensor ops per call instead of seven — a batch-1 decode step makes
 * 48 of these calls, and each op costs a few microseconds of dispatch however small its tensors.
 */
public final class Rope {
    private final Tensor invFreq; // (d/2) fp32
    private final int headDim;

    public Rope(int headDim, double theta) {
        this.headDim = headDim;
        float[] f = new float[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            // fp32 as in HF: 1 / theta^(float(2i)/d)
            float exponent = (float) (2 * i) / (float) headDim;
            f[i] = (float) (1.0 / Math.pow(theta, exponent));
        }
        this.invFreq = Scope.keep(Tensors.floats(f, f.length));
    }

    /**
     * cos and signed sin tables for {@code positions (B, T)} int64: {@code cos(emb)} and {@code sin±}, each
     * {@code (B, 1, T, d)} in {@code dtype}.
     */
    public Tensor[] cosSin(Tensor positions, DType dtype) {
        Tensor angles = positions.to(DType.FP32.scalarType()).unsqueeze(1).unsqueeze(-1).mul(invFreq); // (B, 1, T, d/2)
        Tensor cos = angles.cos(), sin = angles.sin();
        return new Tensor[]{torch.cat(new TensorVector(cos, cos), -1).to(dtype.scalarType()),
                torch.cat(new TensorVector(sin.neg(), sin), -1).to(dtype.scalarType())};
    }

    /** Applies the rotation to {@code x (B, heads, T, d)}, given {@link #cosSin}'s tables. */
    public Tensor apply(Tensor x, Tensor cos, Tensor signedSin) {
        return x.mul(cos).add(Tensors.rollLast(x, headDim / 2).mul(signedSin));
    }
}
