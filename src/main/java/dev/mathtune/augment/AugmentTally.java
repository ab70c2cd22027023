package dev.mathtune.augment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts of one slice of a run (all items, one round or one op): items, their question outcomes, their paths'
 * outcomes and rows written. By construction {@code items = sum(questions)}, {@code sampled paths = K x
 * (sampled questions) = sum(paths)} and {@code rows = paths.kept}; {@link #balanced} checks it.
 */
public final class AugmentTally {
    private long items;
    private long rows;
    private final Map<QuestionOutcome, Long> questions = new EnumMap<>(QuestionOutcome.class);
    private final Map<PathOutcome, Long> paths = new EnumMap<>(PathOutcome.class);

    /** Adds one finished item. */
    public void add(QuestionOutcome outcome, Map<PathOutcome, Integer> pathOutcomes, int rowsWritten) {
        items++;
        rows += rowsWritten;
        questions.merge(outcome, 1L, Long::sum);
        pathOutcomes.forEach((p, n) -> paths.merge(p, (long) n, Long::sum));
    }

    public long items() {
        return items;
    }

    public long rows() {
        return rows;
    }

    public long questions(QuestionOutcome outcome) {
        return questions.getOrDefault(outcome, 0L);
    }

    public long paths(PathOutcome outcome) {
        return paths.getOrDefault(outcome, 0L);
    }

    /** Questions for which K paths were sampled. */
    public long sampledQuestions() {
        return questions.entrySet().stream().filter(e -> e.getKey().sampled()).mapToLong(Map.Entry::getValue).sum();
    }

    /** Whether the counts add up for K paths per sampled question. */
    public boolean balanced(int k) {
        long questionSum = questions.values().stream().mapToLong(Long::longValue).sum();
        long pathSum = paths.values().stream().mapToLong(Long::longValue).sum();
        return questionSum == items && pathSum == k * sampledQuestions() && rows == paths(PathOutcome.KEPT);
    }

    /** The JSON form: items, questions {kept, dropped {...}}, paths {sampled, kept, dropped {...}}, rows. */
    public ObjectNode toJson(int k) {
        ObjectNode node = new ObjectMapper().createObjectNode();
        node.put("items", items);
        ObjectNode q = node.putObject("questions");
        q.put("kept", questions(QuestionOutcome.KEPT));
        ObjectNode qDropped = q.putObject("dropped");
        for (QuestionOutcome o : QuestionOutcome.values()) {
            if (o != QuestionOutcome.KEPT) {
                qDropped.put(o.key(), questions(o));
            }
        }
        ObjectNode p = node.putObject("paths");
        p.put("sampled", k * sampledQuestions());
        p.put("kept", paths(PathOutcome.KEPT));
        ObjectNode pDropped = p.putObject("dropped");
        for (PathOutcome o : PathOutcome.values()) {
            if (o != PathOutcome.KEPT) {
                pDropped.put(o.key(), paths(o));
            }
        }
        node.put("rows", rows);
        return node;
    }
}
