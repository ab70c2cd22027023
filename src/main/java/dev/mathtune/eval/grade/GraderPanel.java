package dev.mathtune.eval.grade;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every grader of {@link GraderName} run on the same completion, in that order, plus lm-eval's GSM8K
 * {@code flexible-extract} as {@value #LM_EVAL_FLEXIBLE}; {@code primary} names the one whose verdict is a run's
 * {@code correct}. Graders "disagree" on a row when the verdicts of the three named graders are not all the same.
 */
public final class GraderPanel {

    /** The key of lm-eval's GSM8K flexible-extract verdict (present for GSM8K only). */
    public static final String LM_EVAL_FLEXIBLE = "lm-eval-flexible";

    private final GraderName primary;
    private final MathAnswerGrader.Dataset dataset;
    private final List<CompletionGrader> graders;
    private final LmEvalGrader lmEval;

    public GraderPanel(GraderName primary, AnswerGrader mathtune, MathAnswerGrader.Dataset dataset, String promptName) {
        this.primary = primary;
        this.dataset = dataset;
        this.lmEval = LmEvalGrader.forPrompt(dataset, promptName);
        this.graders = List.of(new MathtuneGrader(mathtune), new QwenGrader(), lmEval);
    }

    public GraderName primary() {
        return primary;
    }

    /** Each grader's outcome by name (see the class comment). */
    public Map<String, GraderOutcome> grade(String completion, String reference) {
        Map<String, GraderOutcome> out = new LinkedHashMap<>();
        for (CompletionGrader g : graders) {
            out.put(g.name(), g.grade(completion, reference));
        }
        if (dataset == MathAnswerGrader.Dataset.GSM8K) {
            out.put(LM_EVAL_FLEXIBLE, lmEval.flexible(completion, reference));
        }
        return out;
    }

    /** Whether the named graders' verdicts in {@code outcomes} differ (a missing grader is ignored). */
    public static boolean disagree(Map<String, GraderOutcome> outcomes) {
        if (outcomes == null) {
            return false;
        }
        Collection<Boolean> verdicts = List.of(GraderName.values()).stream()
                .map(n -> outcomes.get(n.wireName())).filter(o -> o != null).map(GraderOutcome::correct).toList();
        return verdicts.stream().distinct().count() > 1;
    }
}
