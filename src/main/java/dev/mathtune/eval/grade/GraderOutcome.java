package dev.mathtune.eval.grade;

/**
 * One grader's reading of one completion: the answer it extracted ({@code null} when none), that answer in the
 * grader's normal form (what it compared), its verdict and why.
 */
public record GraderOutcome(String extracted, String normalized, boolean correct, String reason) {
}
