package dev.mathtune.eval.grade;

/**
 * Whether a predicted answer equals the reference, and how that was decided
 * (e.g. {@code "string"}, {@code "numeric"}, {@code "symbolic"}, {@code "incorrect (timeout)"}).
 */
public record Verdict(boolean correct, String reason) {
}
