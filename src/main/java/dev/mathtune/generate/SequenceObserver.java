package dev.mathtune.generate;

/**
 * What a {@link Generator} reports while its sequences decode, and asks about them; every method is called on the
 * decoding thread, once per active sequence and step, so an implementation must be quick. {@link #NONE} (the
 * default) asks for nothing and drops nothing.
 */
public interface SequenceObserver {
    SequenceObserver NONE = new SequenceObserver() {
    };

    /** How many most likely tokens to report alongside each token of sequence {@code index} (0: none). */
    default int topLogprobs(int index) {
        return 0;
    }

    /** Whether sequence {@code index} is to be dropped (e.g. its client disconnected); polled before each step. */
    default boolean cancelled(int index) {
        return false;
    }

    /**
     * A token was appended to sequence {@code index} (an EOS id, which ends a sequence without being appended, is
     * not reported), with its log-probability under the model's unscaled distribution and, when
     * {@link #topLogprobs} asked for them, the most likely tokens of the same distribution (else null).
     */
    default void token(int index, int token, double logprob, TopTokens top) {
    }
}
