package dev.mathtune.augment;

/**
 * A question that is augmented: an input training row, or an evolved question kept in an earlier round.
 * {@code solution} is the reference worked solution (for evolved questions, the first kept path) and
 * {@code answer} its final answer (for evolved questions, the majority answer).
 */
public record SeedQuestion(String id, String question, String solution, String answer) {
}
