package dev.mathtune.eval.grade;

/**
 * mathtune's own grader as a {@link CompletionGrader}: {@link AnswerGrader#extract} then the lenient
 * {@link AnswerGrader#grade}; the normal form shown is {@link AnswerNormalizer}'s.
 */
public final class MathtuneGrader implements CompletionGrader {

    private final AnswerGrader grader;
    private final AnswerNormalizer normalizer = new AnswerNormalizer();

    public MathtuneGrader(AnswerGrader grader) {
        this.grader = grader;
    }

    @Override
    public String name() {
        return GraderName.MATHTUNE.wireName();
    }

    @Override
    public GraderOutcome grade(String completion, String reference) {
        Extraction e;
        try {
            e = grader.extract(completion == null ? "" : completion);
        } catch (RuntimeException ex) {
            return new GraderOutcome(null, null, false, "extractor error: " + ex);
        }
        if (e == null || !e.found()) {
            return new GraderOutcome(null, null, false, "no answer extracted");
        }
        Verdict v;
        try {
            v = grader.grade(e.answer(), reference);
        } catch (RuntimeException ex) {
            v = new Verdict(false, "grader error: " + ex);
        }
        return new GraderOutcome(e.answer(), normalized(e.answer()), v.correct(), e.rule() + "; " + v.reason());
    }

    private String normalized(String answer) {
        try {
            return normalizer.normalize(answer);
        } catch (RuntimeException ex) {
            return null;
        }
    }
}
