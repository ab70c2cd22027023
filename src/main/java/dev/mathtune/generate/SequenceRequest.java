package dev.mathtune.generate;

/**
 * A tokenized prompt for the embedded {@link Generator}; {@code index} is the caller's key; {@code calculator} lets
 * the generator's {@link dev.mathtune.generate.calc.TokenInjector} (the calculator) force tokens into this sequence.
 */
public record SequenceRequest(int index, int[] promptIds, SamplingParams params, boolean calculator) {
    public SequenceRequest(int index, int[] promptIds, SamplingParams params) {
        this(index, promptIds, params, false);
    }
}
