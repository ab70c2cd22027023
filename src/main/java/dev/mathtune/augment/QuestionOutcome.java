package dev.mathtune.augment;

import java.util.Locale;

/**
 * What became of one work item (a source question under one op in one round); exactly one per item.
 * Items that reach sampling ({@link #sampled()}) have K paths, each with one {@link PathOutcome}.
 */
public enum QuestionOutcome {
    /** At least one path kept; the question is a source for the next round. */
    KEPT,
    /** The teacher's evolution output could not be parsed. */
    MALFORMED,
    /** The evolved question is longer than the character limit. */
    TOO_LONG,
    /** The evolved question overlaps a test question. */
    CONTAMINATED,
    /** The evolved question equals (normalised) an input or earlier evolved question. */
    DUPLICATE,
    /** Evolved only: the majority answer has fewer than {@code minAgreement} votes. */
    LOW_AGREEMENT,
    /** Every path was dropped (no answers, none correct, all too long). */
    NO_VALID_PATH;

    /** Whether K paths were sampled for the item. */
    public boolean sampled() {
        return this == KEPT || this == LOW_AGREEMENT || this == NO_VALID_PATH;
    }

    /** The snake_case name used in summary.json. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
