package dev.mathtune.generate;

import java.util.List;

/**
 * Receives the choices of one {@link GenerationRequest} (see {@link Choices}) from the decoding thread: text
 * deltas that never split a character nor show a stop string, then one {@link #finished} per choice. Calls for one
 * choice come in order; choices interleave. An implementation must not block for long: the whole batch waits.
 */
public interface CompletionListener {
    /**
     * More text of choice {@code choice} and the tokens produced since the last delta, with their log-probs when
     * asked for (else the list is empty). The text may be empty when only tokens are reported (the last delta of a
     * choice carries any tokens of a stop string, which shows no text).
     */
    void delta(int choice, String text, List<TokenLogprob> tokens);

    /** Choice {@code choice} ended, why, and all its token ids (a stop string's tokens included, EOS excluded). */
    void finished(int choice, FinishReason reason, int[] tokenIds);

    /** Whether the caller has gone (a disconnected client): the request's choices are then dropped. */
    default boolean cancelled() {
        return false;
    }
}
