package dev.mathtune.generate;

/**
 * The {@code k} most likely next tokens at one step, most likely first: their ids and log-probabilities under the
 * model's unscaled distribution ({@code log_softmax} of the logits, before temperature, top-k or top-p), the row
 * the chosen token's log-probability comes from.
 */
public record TopTokens(int[] ids, double[] logprobs) {
    public TopTokens {
        if (ids.length != logprobs.length) {
            throw new IllegalArgumentException(ids.length + " ids but " + logprobs.length + " log-probs");
        }
    }
}
