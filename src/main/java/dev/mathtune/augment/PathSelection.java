package dev.mathtune.augment;

import dev.mathtune.eval.grade.AnswerGrader;
import dev.mathtune.eval.grade.Extraction;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses which of a question's K sampled paths to keep. Paths that are too long or have no final answer are
 * dropped first. Against a gold answer (original questions) a path is kept when the grader judges its answer
 * equal to the gold one; without one (evolved questions) the answers are grouped by grader equivalence and the
 * largest group wins (ties: the group seen first), and the question is dropped when the winner has fewer than
 * {@code minAgreement} votes. Finally paths with the same {@link PathSignature} as an earlier kept path go.
 *
 * @param outcome the question's outcome: {@code KEPT}, {@code LOW_AGREEMENT} or {@code NO_VALID_PATH}
 * @param paths   one outcome per sampled path, counted
 * @param kept    the kept paths, in sampling order
 * @param answer  the gold or majority answer ({@code null} when no path had an answer)
 * @param agree   how many paths agree with {@code answer}
 * @param of      how many paths were sampled
 */
public record PathSelection(QuestionOutcome outcome, Map<PathOutcome, Integer> paths, List<KeptPath> kept,
                            String answer, int agree, int of) {

    /** A kept path: its index among the K samples, its text and extracted answer. */
    public record KeptPath(int index, String text, String answer) {
    }

    /** Length limits for paths: {@code maxTokens} and {@code maxChars} ({@code <= 0}: no limit). */
    public record Limits(int maxTokens, int maxChars) {
    }

    /** Selects among {@code completions} (in sampling order); {@code gold} is null for an evolved question. */
    public static PathSelection select(List<Completion> completions, String gold, AnswerGrader grader,
                                       Limits limits, int minAgreement) {
        Map<PathOutcome, Integer> counts = new EnumMap<>(PathOutcome.class);
        List<KeptPath> answered = new ArrayList<>();
        for (int i = 0; i < completions.size(); i++) {
            Completion c = completions.get(i);
            if (tooLong(c, limits)) {
                counts.merge(PathOutcome.TOO_LONG, 1, Integer::sum);
                continue;
            }
            Extraction e = grader.extract(c.text());
            if (!e.found() || e.answer().isBlank()) {
                counts.merge(PathOutcome.NO_ANSWER, 1, Integer::sum);
                continue;
            }
            answered.add(new KeptPath(i, c.text(), e.answer().strip()));
        }
        String answer = gold != null ? gold : majority(answered, grader);
        List<KeptPath> agreeing = new ArrayList<>();
        for (KeptPath p : answered) {
            if (answer != null && grader.grade(p.answer(), answer).correct()) {
                agreeing.add(p);
            }
        }
        int agree = agreeing.size();
        if (gold == null && !answered.isEmpty() && agree < minAgreement) {
            counts.merge(PathOutcome.LOW_AGREEMENT, answered.size(), Integer::sum);
            return new PathSelection(QuestionOutcome.LOW_AGREEMENT, counts, List.of(), answer, agree, completions.size());
        }
        if (answered.size() > agree) {
            counts.merge(gold != null ? PathOutcome.WRONG_ANSWER : PathOutcome.MINORITY, answered.size() - agree,
                    Integer::sum);
        }
        List<KeptPath> kept = distinct(agreeing, counts);
        QuestionOutcome outcome = kept.isEmpty() ? QuestionOutcome.NO_VALID_PATH : QuestionOutcome.KEPT;
        return new PathSelection(outcome, counts, kept, answer, agree, completions.size());
    }

    private static boolean tooLong(Completion c, Limits limits) {
        return c.finishReason() == FinishReason.LENGTH
                || (limits.maxTokens() > 0 && c.completionTokens() > limits.maxTokens())
                || (limits.maxChars() > 0 && c.text().length() > limits.maxChars());
    }

    /** The answer of the largest equivalence group; ties go to the group whose first member came first. */
    private static String majority(List<KeptPath> answered, AnswerGrader grader) {
        List<String> representatives = new ArrayList<>();
        List<Integer> votes = new ArrayList<>();
        for (KeptPath p : answered) {
            int group = -1;
            for (int g = 0; g < representatives.size() && group < 0; g++) {
                if (grader.grade(p.answer(), representatives.get(g)).correct()) {
                    group = g;
                }
            }
            if (group < 0) {
                representatives.add(p.answer());
                votes.add(1);
            } else {
                votes.set(group, votes.get(group) + 1);
            }
        }
        int best = -1;
        for (int g = 0; g < votes.size(); g++) {
            if (best < 0 || votes.get(g) > votes.get(best)) {
                best = g;
            }
        }
        return best < 0 ? null : representatives.get(best);
    }

    private static List<KeptPath> distinct(List<KeptPath> agreeing, Map<PathOutcome, Integer> counts) {
        Set<PathSignature> seen = new HashSet<>();
        List<KeptPath> kept = new ArrayList<>();
        for (KeptPath p : agreeing) {
            if (seen.add(PathSignature.of(p.text()))) {
                kept.add(p);
                counts.merge(PathOutcome.KEPT, 1, Integer::sum);
            } else {
                counts.merge(PathOutcome.DUPLICATE, 1, Integer::sum);
            }
        }
        return kept;
    }
}
