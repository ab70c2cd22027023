package dev.mathtune.generate.calc;

/**
 * A tool that, after a sampled token, may append tokens to a sequence: {@code generate.Generator} feeds them into
 * the KV cache one per decoding step instead of sampling (the calculator, {@link CalculatorDecoding}).
 */
public interface TokenInjector {

    /**
     * Called after each sampled (not forced) token of a sequence that asked for the tool; {@code tokens[0..count)}
     * is its completion so far. Returns the tokens to force next and the call made, or null to let the model go on.
     */
    Injection afterSampled(int[] tokens, int count);

    /** Tokens to feed unsampled, and the call that produced them. */
    record Injection(int[] tokens, CalculatorCall call) {
    }
}
