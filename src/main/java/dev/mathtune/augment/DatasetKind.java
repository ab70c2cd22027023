package dev.mathtune.augment;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.mathtune.eval.BoxedAnswer;

/**
 * The two training sets that can be augmented, with their JSONL field names and answer conventions:
 * GSM8K rows are {@code {"question","answer"}} with the answer ending in {@code #### N};
 * MATH rows are {@code {"problem","solution"}} with the final answer in the last {@code \boxed{}}.
 */
public enum DatasetKind {
    GSM8K("gsm8k", "question", "answer"),
    MATH("math", "problem", "solution");

    private static final Pattern HASH_LINE = Pattern.compile("(?m)^\\s*####\\s*(.*?)\\s*$");

    private final String wireName;
    private final String questionField;
    private final String solutionField;

    DatasetKind(String wireName, String questionField, String solutionField) {
        this.wireName = wireName;
        this.questionField = questionField;
        this.solutionField = solutionField;
    }

    /** Parses {@code gsm8k} or {@code math} (case-insensitive). */
    public static DatasetKind parse(String name) {
        for (DatasetKind kind : values()) {
            if (kind.wireName.equalsIgnoreCase(name.trim())) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown dataset kind '" + name + "' (expected gsm8k or math)");
    }

    /** The lower-case name, also the prompt resource folder. */
    public String wireName() {
        return wireName;
    }

    public String questionField() {
        return questionField;
    }

    public String solutionField() {
        return solutionField;
    }

    /** Whether the teacher must also write a solution when it evolves a question (MATH does). */
    public boolean evolvedQuestionHasSolution() {
        return this == MATH;
    }

    /**
     * The gold final answer of a reference solution: the text after the last {@code ####} (thousands commas
     * removed) for GSM8K, the last {@code \boxed{}} content for MATH; {@code null} when there is none.
     */
    public String goldAnswer(String solution) {
        if (solution == null) {
            return null;
        }
        if (this == MATH) {
            return BoxedAnswer.lastWellFormed(solution);
        }
        Matcher m = HASH_LINE.matcher(solution);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last == null || last.isBlank() ? null : plainNumber(last);
    }

    /**
     * A sampled reasoning path in this dataset's training format: for GSM8K any {@code ####} line is removed and
     * {@code #### N} appended; for MATH the path is kept when it has a {@code \boxed{}}, else the answer is
     * appended boxed.
     */
    public String trainingSolution(String path, String answer) {
        String text = path.strip();
        if (this == MATH) {
            return BoxedAnswer.lastWellFormed(text) != null ? text : text + "\nThe final answer is $\\boxed{" + answer + "}$.";
        }
        String body = HASH_LINE.matcher(text).replaceAll("").strip();
        return body + "\n#### " + plainNumber(answer);
    }

    /** A GSM8K-style answer: {@code $}, thousands commas, spaces and a trailing period removed. */
    static String plainNumber(String answer) {
        String a = answer.strip().replace("\\$", "").replace("$", "").replace(",", "").replace(" ", "");
        if (a.endsWith(".")) {
            a = a.substring(0, a.length() - 1);
        }
        return a;
    }

    @Override
    public String toString() {
        return wireName.toUpperCase(Locale.ROOT);
    }
}
