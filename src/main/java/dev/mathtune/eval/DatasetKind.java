package dev.mathtune.eval;

import java.util.Locale;

/**
 * The shape of an evaluation file, which fixes how question and reference are read from a row.
 * {@link #AUTO} is resolved from the fields of the first row (see {@link DatasetLoader}).
 */
public enum DatasetKind {
    /** Decide from the first row's fields. */
    AUTO(512),
    /** GSM8K: {@code question}, {@code answer} ending in {@code "#### N"}. */
    GSM8K(512),
    /** MATH / MATH500: {@code problem}, {@code answer} or the last {@code \boxed{}} of {@code solution}. */
    MATH(1024),
    /** Any file, with the question and answer fields named by the user. */
    FIELDS(1024);

    private final int defaultMaxNewTokens;

    DatasetKind(int defaultMaxNewTokens) {
        this.defaultMaxNewTokens = defaultMaxNewTokens;
    }

    /** Default generation budget: 512 new tokens for GSM8K, 1024 for MATH-style problems. */
    public int defaultMaxNewTokens() {
        return defaultMaxNewTokens;
    }

    /** Parses a CLI value such as {@code "gsm8k"}, {@code "math"}, {@code "fields"} or {@code "auto"}. */
    public static DatasetKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.mathtune.UserError("unknown dataset kind '" + text + "' (expected auto, gsm8k, math or fields)");
        }
    }
}
