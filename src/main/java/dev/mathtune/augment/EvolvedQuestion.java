package dev.mathtune.augment;

/**
 * A question parsed from a teacher's evolution output; {@code solution} is the teacher's worked solution
 * (MATH only, else {@code null}) and {@code answer} its boxed answer.
 */
public record EvolvedQuestion(String question, String solution, String answer) {
}
