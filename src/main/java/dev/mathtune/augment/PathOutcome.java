package dev.mathtune.augment;

import java.util.Locale;

/** What became of one sampled reasoning path; exactly one per path. */
public enum PathOutcome {
    /** Written as a training row. */
    KEPT,
    /** Hit the token limit (finish reason {@code length}) or exceeds the character / token limit. */
    TOO_LONG,
    /** No final answer could be extracted. */
    NO_ANSWER,
    /** Original question: the answer differs from the gold answer (rejection sampling). */
    WRONG_ANSWER,
    /** Evolved question: the answer differs from the majority answer. */
    MINORITY,
    /** Evolved question dropped for low agreement: its answered paths are dropped with it. */
    LOW_AGREEMENT,
    /** Same equations (or normalised text) as an earlier kept path of the same question. */
    DUPLICATE;

    /** The snake_case name used in summary.json. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
