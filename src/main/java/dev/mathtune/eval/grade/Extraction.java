package dev.mathtune.eval.grade;

/**
 * The final answer pulled out of a completion, and the rule that found it
 * (e.g. {@code "boxed"}, {@code "####"}, {@code "the answer is"}, {@code "last number"}); {@code answer} is
 * {@code null} and {@code rule} is {@code "none"} when nothing was found.
 */
public record Extraction(String answer, String rule) {
    public static Extraction none() {
        return new Extraction(null, "none");
    }

    public boolean found() {
        return answer != null;
    }
}
