package dev.mathtune.eval.grade;

import java.time.Duration;

/**
 * Qwen2.5-Math's evaluation verdict (QwenLM/Qwen2.5-Math {@code evaluation/}, commit a45202bd): the prediction is
 * {@code strip_string(extract_answer(completion))} ({@link QwenAnswerExtractor}, then once more
 * {@link QwenAnswerNormalizer#strip} as {@code run_execute} does), the reference {@code strip_string(reference)}
 * (upstream's {@code parse_ground_truth} for GSM8K's text after {@code ####} and for MATH500's {@code answer}), and
 * the verdict {@link QwenMathEqual}. Quirks are kept on purpose: users compare with numbers this code produced.
 */
public final class QwenGrader implements CompletionGrader {

    private final QwenMathEqual equal;

    public QwenGrader() {
        this(QwenMathEqual.DEFAULT_TIMEOUT);
    }

    public QwenGrader(Duration timeout) {
        this.equal = new QwenMathEqual(timeout);
    }

    @Override
    public String name() {
        return GraderName.QWEN.wireName();
    }

    @Override
    public GraderOutcome grade(String completion, String reference) {
        String text = completion == null ? "" : completion;
        try {
            Extraction raw = QwenAnswerExtractor.raw(text);
            String prediction = QwenAnswerNormalizer.strip(QwenAnswerExtractor.extract(text), false);
            String gold = QwenAnswerNormalizer.strip(reference, false);
            boolean correct = equal.equal(prediction, gold);
            return new GraderOutcome(raw.answer(), prediction, correct, raw.rule() + "; math_equal vs '" + gold + "'");
        } catch (RuntimeException | StackOverflowError e) {
            return new GraderOutcome(null, null, false, "error: " + e);
        }
    }
}
