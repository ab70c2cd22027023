package dev.mathtune.generate;

/**
 * What the {@link Generator} produced for one {@link SequenceRequest}: new token ids (a matched stop string's
 * tokens included; the EOS token excluded), the log-probability of each under the model's unscaled
 * distribution, why it stopped, and the decoded text cut before any stop string.
 */
public record SequenceResult(int index, int[] tokens, double[] logprobs, FinishReason finishReason, String text) {
}
