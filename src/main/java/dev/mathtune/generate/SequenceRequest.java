package dev.mathtune.generate;

/** A tokenized prompt for the embedded {@link Generator}; {@code index} is the caller's key. */
public record SequenceRequest(int index, int[] promptIds, SamplingParams params) {
}
