package dev.mathtune.eval.grade;

/**
 * The reference (gold) answer of a dataset row: GSM8K's text after the last {@code ####} with thousands commas removed;
 * MATH's {@code answer} field when present, else the last {@code \boxed{…}} of its {@code solution}.
 */
public final class ReferenceAnswer {

    private ReferenceAnswer() {
    }

    /** The final answer of a GSM8K {@code answer} text ({@code "…\n#### 2,125"} gives {@code "2125"}). */
    public static String gsm8k(String answerText) {
        int hashes = answerText.lastIndexOf("####");
        if (hashes < 0) {
            throw new IllegalArgumentException("GSM8K answer has no '####' line");
        }
        return answerText.substring(hashes + 4).strip().replace(",", "");
    }

    /** The final answer of a MATH row: {@code answer} if non-blank, else the last {@code \boxed{}} of {@code solution}. */
    public static String math(String answer, String solution) {
        if (answer != null && !answer.isBlank()) {
            return answer.strip();
        }
        String boxed = solution == null ? null : AnswerExtractor.lastBoxed(solution);
        if (boxed == null) {
            throw new IllegalArgumentException("MATH row has neither an answer nor a \\boxed{} solution");
        }
        return boxed.strip();
    }
}
