package dev.mathtune.model;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

/** {@code y = x·Wᵀ + b} with {@code W (out, in)} and an optional bias {@code b (out)}. */
public record DenseLinear(Tensor weight, Tensor bias) implements Projection {
    @Override
    public Tensor apply(Tensor x) {
        return bias == null ? torch.linear(x, weight) : torch.linear(x, weight, new TensorOptional(bias));
    }
}
