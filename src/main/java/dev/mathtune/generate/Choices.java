package dev.mathtune.generate;

/**
 * What a {@link GenerationRequest} asks for beyond one completed text: {@code n} sampled choices of its prompt
 * (choice {@code i} sampled with seed {@link SplitMix#choiceSeed}), each token's log-probability with
 * {@code logprobs} most likely alternatives ({@code -1}: no log-probs at all), and a {@link CompletionListener}
 * that receives each choice's text and tokens, as deltas while they are produced when {@code stream}, else once at
 * the end. Backends that cannot honour more than {@link #ONE} say so ({@link TextGenerator#reportsChoices()}).
 */
public record Choices(int n, int logprobs, boolean stream, CompletionListener listener) {
    /** One choice, no log-probs, no listener: a plain completion. */
    public static final Choices ONE = new Choices(1, -1, false, null);

    public Choices {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        if (logprobs < -1) throw new IllegalArgumentException("logprobs must be >= -1 (-1: none), got " + logprobs);
        if (listener == null && (stream || logprobs >= 0 || n > 1)) {
            throw new IllegalArgumentException("choices, log-probs and streaming are reported to a listener; none given");
        }
    }

    public boolean wantsLogprobs() {
        return logprobs >= 0;
    }
}
