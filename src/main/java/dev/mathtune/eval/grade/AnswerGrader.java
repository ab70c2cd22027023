package dev.mathtune.eval.grade;

/**
 * Extracts a final answer from a model completion and grades it against a reference answer.
 * {@link #grade} is the lenient verdict used for accuracy; {@link #gradeStrict} a stricter PRM800K-style
 * second verdict, reported beside it.
 */
public interface AnswerGrader {

    /** The final answer of {@code completion}, with the rule that fired. */
    Extraction extract(String completion);

    /** Lenient equivalence of an extracted answer and a reference (never hangs: symbolic checks time out). */
    Verdict grade(String predicted, String reference);

    /** Strict PRM800K-style equivalence. */
    Verdict gradeStrict(String predicted, String reference);
}
