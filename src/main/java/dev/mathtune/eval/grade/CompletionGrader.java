package dev.mathtune.eval.grade;

/** Grades a whole completion against a reference answer by one toolkit's rules (see {@link GraderName}). */
public interface CompletionGrader {

    /** The grader's name as written in metrics and predictions. */
    String name();

    /** Extracts the completion's answer and compares it with {@code reference}; never throws, never hangs. */
    GraderOutcome grade(String completion, String reference);
}
