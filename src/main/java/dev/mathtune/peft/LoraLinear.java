package dev.mathtune.peft;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Tensors;
import dev.mathtune.model.Projection;

/**
 * A LoRA-wrapped projection (PEFT's {@code lora.Linear}):
 * <pre>
 *   y = base(x) + s · dropout(x) · Aᵀ · Bᵀ
 * </pre>
 * with {@code A (r, in)}, {@code B (out, r)} trainable fp32 tensors and {@code s} the scaling of
 * {@link LoraConfig#scaling()}. The adapter branch runs in fp32 and is cast to the base output's dtype before the
 * sum. Dropout is torch's ({@code torch.dropout}, seeded through {@code Engine.seed}) and only active while
 * {@link #training}; with B = 0 (fresh adapter) the output equals {@code base(x)} exactly.
 */
public final class LoraLinear implements Projection {
    private final Projection base;
    private final Tensor a;
    private final Tensor b;
    private final double scaling;
    private final double dropout;
    private volatile boolean training;

    public LoraLinear(Projection base, Tensor a, Tensor b, double scaling, double dropout) {
        long out = base.weight().size(0), in = base.weight().size(1);
        if (a.dim() != 2 || a.size(1) != in || b.dim() != 2 || b.size(0) != out || b.size(1) != a.size(0)) {
            throw new IllegalArgumentException("LoRA shapes A " + java.util.Arrays.toString(Tensors.shape(a)) + ", B "
                    + java.util.Arrays.toString(Tensors.shape(b)) + " do not fit W (" + out + ", " + in + ")");
        }
        this.base = base;
        this.a = a;
        this.b = b;
        this.scaling = scaling;
        this.dropout = dropout;
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor y = base.apply(x);
        Tensor x32 = Tensors.dtype(x) == DType.FP32 ? x : x.to(DType.FP32.scalarType());
        if (training && dropout > 0) x32 = torch.dropout(x32, dropout, true);
        Tensor delta = torch.linear(torch.linear(x32, a), b).mul(new Scalar(scaling));
        return y.add(Tensors.dtype(y) == DType.FP32 ? delta : delta.to(y.scalar_type()));
    }

    @Override
    public Tensor weight() {
        return base.weight();
    }

    public Projection base() {
        return base;
    }

    /** {@code lora_A (r, in)}. */
    public Tensor a() {
        return a;
    }

    /** {@code lora_B (out, r)}. */
    public Tensor b() {
        return b;
    }

    public double scaling() {
        return scaling;
    }

    public void training(boolean on) {
        training = on;
    }

    /** {@code ΔW = s · B · A (out, in)} in fp32, without gradient tracking. */
    public Tensor deltaWeight() {
        return b.detach().matmul(a.detach()).mul(new Scalar(scaling));
    }
}
