package dev.mathtune.model;

import org.bytedeco.pytorch.Tensor;

/** A linear map of the last dimension, {@code y = x·Wᵀ (+ b)}; LoRA wraps one of these. */
public interface Projection {
    /** {@code x (…, in) -> (…, out)}. */
    Tensor apply(Tensor x);

    /** The base weight {@code W (out, in)}. */
    Tensor weight();
}
