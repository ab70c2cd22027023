package dev.mathtune.report;

import java.util.Map;
import java.util.Objects;

import dev.mathtune.eval.WilsonInterval;

/**
 * The accuracy of one model on one evaluation set, with its Wilson 95% interval and, where the study reported
 * one for the same method and set, the study's accuracy beside it. Accuracies are fractions in [0, 1].
 *
 * @param evalSet       the evaluation set, for example {@code "GSM8K"}
 * @param correct       the number of problems answered correctly
 * @param n             the number of problems graded
 * @param accuracy      {@code correct / n} (0 when {@code n == 0})
 * @param wilsonLow     the lower bound of the 95% interval
 * @param wilsonHigh    the upper bound of the 95% interval
 * @param studyAccuracy the study's accuracy as a fraction, or {@code null} when it has none
 */
public record EvalScore(String evalSet, long correct, long n, double accuracy, double wilsonLow, double wilsonHigh,
                        Double studyAccuracy, GraderScores graders) {

    /** The accuracy under every grader of a run (fractions by grader name) and the rows where they disagree. */
    public record GraderScores(Map<String, Double> accuracy, int disagree) {
    }

    /** A score without grader figures. */
    public EvalScore(String evalSet, long correct, long n, double accuracy, double wilsonLow, double wilsonHigh,
                     Double studyAccuracy) {
        this(evalSet, correct, n, accuracy, wilsonLow, wilsonHigh, studyAccuracy, null);
    }

    public EvalScore {
        Objects.requireNonNull(evalSet, "evalSet");
        if (studyAccuracy != null && !(studyAccuracy >= 0 && studyAccuracy <= 1)) {
            throw new IllegalArgumentException("study accuracy must be a fraction in [0, 1], got " + studyAccuracy);
        }
    }

    /** A score computed from counts, with its Wilson interval and no study number. */
    public static EvalScore of(String evalSet, long correct, long n) {
        WilsonInterval ci = WilsonInterval.of95(correct, n);
        return new EvalScore(evalSet, correct, n, n == 0 ? 0 : (double) correct / n, ci.lower(), ci.upper(), null);
    }

    /** This score with the study's accuracy (a fraction) beside it; {@code null} removes it. */
    public EvalScore withStudy(Double study) {
        return new EvalScore(evalSet, correct, n, accuracy, wilsonLow, wilsonHigh, study, graders);
    }

    /** This score with the accuracy under every grader beside it ({@code null}: none). */
    public EvalScore withGraders(GraderScores scores) {
        return new EvalScore(evalSet, correct, n, accuracy, wilsonLow, wilsonHigh, studyAccuracy, scores);
    }

    /** Whether the study has a number for this method and set. */
    public boolean hasStudy() {
        return studyAccuracy != null;
    }
}
