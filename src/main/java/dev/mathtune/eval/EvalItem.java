package dev.mathtune.eval;

import java.util.Objects;

/**
 * One evaluation problem: a stable {@code id} (e.g. {@code gsm8k-test-0042} or MATH's {@code unique_id}), the
 * question shown to the model, the reference final answer, and for MATH the {@code subject} and {@code level}
 * ({@code subject} is {@code null} and {@code level} is {@code 0} where unknown), and the gold {@code solution}
 * (GSM8K's full {@code answer} text, MATH's {@code solution}; {@code null} where the data has none).
 */
public record EvalItem(String id, String question, String reference, String subject, int level, String solution) {
    public EvalItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(reference, "reference");
    }

    /** An item without a gold solution. */
    public EvalItem(String id, String question, String reference, String subject, int level) {
        this(id, question, reference, subject, level, null);
    }
}
