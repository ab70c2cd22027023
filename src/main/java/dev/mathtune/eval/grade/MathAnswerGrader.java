package dev.mathtune.eval.grade;

import java.time.Duration;
import java.util.Locale;

/**
 * The grader of GSM8K and MATH answers: {@link AnswerExtractor} for completions, {@link LenientEquivalence} for
 * {@link #grade}, {@link StrictEquivalence} (PRM800K) for {@link #gradeStrict}. Symbolic checks share one hard
 * timeout per grading ({@link SymbolicEquivalence#DEFAULT_TIMEOUT} unless given); an unexpected failure while
 * comparing is an incorrect verdict {@code "incorrect (error)"}, never an exception.
 */
public final class MathAnswerGrader implements AnswerGrader {

    /** The dataset whose references are graded; it decides how a reference is read from a full solution. */
    public enum Dataset {
        GSM8K, MATH;

        /** {@code "gsm8k"} or {@code "math"} (any case; {@code "math500"} is MATH). */
        public static Dataset parse(String name) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            return switch (n) {
                case "gsm8k" -> GSM8K;
                case "math", "math500" -> MATH;
                default -> throw new IllegalArgumentException("unknown dataset '" + name + "' (expected gsm8k or math)");
            };
        }
    }

    private final Dataset dataset;
    private final AnswerExtractor extractor = new AnswerExtractor();
    private final LenientEquivalence lenient;
    private final StrictEquivalence strict;

    public MathAnswerGrader(Dataset dataset) {
        this(dataset, SymbolicEquivalence.DEFAULT_TIMEOUT);
    }

    public MathAnswerGrader(Dataset dataset, Duration timeout) {
        this.dataset = dataset;
        this.lenient = new LenientEquivalence(timeout);
        this.strict = new StrictEquivalence(timeout);
    }

    public static MathAnswerGrader gsm8k() {
        return new MathAnswerGrader(Dataset.GSM8K);
    }

    public static MathAnswerGrader math() {
        return new MathAnswerGrader(Dataset.MATH);
    }

    public Dataset dataset() {
        return dataset;
    }

    @Override
    public Extraction extract(String completion) {
        return extractor.extract(completion);
    }

    /**
     * The reference answer in {@code text}: for GSM8K the answer after {@code ####} when present, for MATH the last
     * {@code \boxed{}} when present; otherwise {@code text} itself (already a short answer).
     */
    public String reference(String text) {
        if (dataset == Dataset.GSM8K && text.contains("####")) {
            return ReferenceAnswer.gsm8k(text);
        }
        String boxed = dataset == Dataset.MATH ? AnswerExtractor.lastBoxed(text) : null;
        return boxed != null ? boxed.strip() : text.strip();
    }

    @Override
    public Verdict grade(String predicted, String reference) {
        if (predicted == null || predicted.isBlank()) {
            return new Verdict(false, "incorrect (no answer)");
        }
        try {
            return lenient.compare(predicted, reference);
        } catch (RuntimeException | StackOverflowError e) {
            return new Verdict(false, "incorrect (error)");
        }
    }

    @Override
    public Verdict gradeStrict(String predicted, String reference) {
        if (predicted == null || predicted.isBlank()) {
            return new Verdict(false, "incorrect (no answer)");
        }
        try {
            return strict.compare(predicted, reference);
        } catch (RuntimeException | StackOverflowError e) {
            return new Verdict(false, "incorrect (error)");
        }
    }
}
