package dev.mathtune.peft;

/**
 * Prefix-tuning hyper-parameters, as PEFT's {@code PrefixTuningConfig}: {@code num_virtual_tokens} P, whether the
 * prefix is reparameterised through an MLP while training ({@code prefix_projection}, Li &amp; Liang 2021) with
 * {@code encoder_hidden_size} hidden units (0: the token dimension, PEFT's default), the seed of the
 * initialisation, and the standard deviation of the directly trained prefix ({@link #DEFAULT_INIT_STD}).
 */
public record PrefixConfig(int numVirtualTokens, boolean prefixProjection, int encoderHiddenSize, long seed,
                           double initStd) {

    /**
     * Std of the directly trained key/value prefix: 0.02 (HF's {@code initializer_range}, the PyTorch reference's
     * {@code make_prefix}). PEFT's {@code nn.Embedding} default is N(0, 1), which puts keys and values far from
     * the model's own early in training; small values start near the base model (values ≈ 0) and train smoothly.
     */
    public static final double DEFAULT_INIT_STD = 0.02;

    public PrefixConfig {
        if (numVirtualTokens <= 0) throw new IllegalArgumentException("num_virtual_tokens must be positive, got " + numVirtualTokens);
        if (encoderHiddenSize < 0) throw new IllegalArgumentException("encoder_hidden_size must be >= 0, got " + encoderHiddenSize);
        if (!(initStd > 0)) throw new IllegalArgumentException("prefix init std must be positive, got " + initStd);
    }

    public PrefixConfig(int numVirtualTokens, boolean prefixProjection, int encoderHiddenSize, long seed) {
        this(numVirtualTokens, prefixProjection, encoderHiddenSize, seed, DEFAULT_INIT_STD);
    }

    /** P virtual tokens, trained directly, seed 0. */
    public static PrefixConfig of(int numVirtualTokens) {
        return new PrefixConfig(numVirtualTokens, false, 0, 0L);
    }
}
