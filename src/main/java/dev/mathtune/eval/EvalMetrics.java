package dev.mathtune.eval;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mathtune.eval.grade.GraderPanel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The contents of {@code metrics.json}. {@code accuracy} is the lenient accuracy over every (item, sample) row
 * (with n samples, the mean per-sample accuracy, i.e. pass@1), with a Wilson 95% interval; {@code strict} the same
 * with the strict verdict, and {@code lenient_strict_differ} the rows where the two verdicts disagree (as
 * {@code id}, or {@code id#sample} for samples after the first). {@code by_subject} / {@code by_level} split the
 * accuracy for MATH. With n &gt; 1 the interval of {@code accuracy} treats the n·items rows as independent, so
 * it is narrower than it should be; {@code maj_at_n} has one trial per item. With n &gt; 1: {@code maj_at_n} (majority vote, see {@link MajorityVote}) over items and
 * {@code pass_at_k} for k = 1, 2, 4, ... and n (see {@link PassAtK}). Throughput: total completion tokens,
 * summed generation seconds, and the wall seconds and tokens/s of the last invocation (which may have resumed).
 * Graders side by side: {@code grader} is the primary grader (whose verdict {@code accuracy} counts), {@code graders}
 * the accuracy under every grader of the rows' {@code graders} records, {@code graders_disagree} the number of rows
 * where mathtune, qwen and lm-eval do not all agree, and {@code graders_disagree_ids} those rows (absent when no row
 * carries graders, as in runs written before they existed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvalMetrics(String dataset, String prompt, int items, int samples, int rows,
                          @JsonProperty("missing_rows") int missingRows,
                          Accuracy accuracy, Accuracy strict,
                          @JsonProperty("lenient_strict_differ") List<String> lenientStrictDiffer,
                          @JsonProperty("by_subject") Map<String, Accuracy> bySubject,
                          @JsonProperty("by_level") Map<String, Accuracy> byLevel,
                          @JsonProperty("maj_at_n") Accuracy majAtN,
                          @JsonProperty("pass_at_k") Map<String, Double> passAtK,
                          @JsonProperty("finish_reasons") Map<String, Integer> finishReasons,
                          @JsonProperty("completion_tokens") long completionTokens,
                          @JsonProperty("generation_seconds") double generationSeconds,
                          @JsonProperty("wall_seconds") double wallSeconds,
                          @JsonProperty("tokens_per_second") double tokensPerSecond,
                          String grader,
                          Map<String, Accuracy> graders,
                          @JsonProperty("graders_disagree") Integer gradersDisagree,
                          @JsonProperty("graders_disagree_ids") List<String> gradersDisagreeIds) {

    /**
     * Metrics of {@code rows} for the items of {@code dataset}; rows of other ids are ignored. {@code runTokens}
     * and {@code wallSeconds} describe the last invocation only, for tokens/s.
     */
    public static EvalMetrics compute(EvalDataset dataset, String prompt, int samples, List<PredictionRow> rows,
                                      long runTokens, double wallSeconds) {
        Map<String, EvalItem> items = new LinkedHashMap<>();
        dataset.items().forEach(i -> items.put(i.id(), i));
        Map<String, List<PredictionRow>> byItem = new LinkedHashMap<>();
        for (PredictionRow row : rows) {
            if (items.containsKey(row.id())) {
                byItem.computeIfAbsent(row.id(), k -> new ArrayList<>()).add(row);
            }
        }
        byItem.values().forEach(list -> list.sort(Comparator.comparingInt(PredictionRow::sample)));
        List<PredictionRow> kept = byItem.values().stream().flatMap(List::stream).toList();
        boolean math = dataset.items().stream().anyMatch(i -> i.subject() != null || i.level() > 0);
        return new EvalMetrics(dataset.name(), prompt, items.size(), samples, kept.size(),
                Math.max(0, items.size() * samples - kept.size()),
                count(kept, PredictionRow::correct), count(kept, PredictionRow::strictCorrect), differ(kept),
                math ? split(kept, r -> items.get(r.id()).subject()) : null,
                math ? split(kept, r -> levelKey(items.get(r.id()).level())) : null,
                samples > 1 ? majority(byItem.values()) : null,
                samples > 1 ? passAtK(byItem.values(), samples) : null,
                finishReasons(kept),
                kept.stream().mapToLong(PredictionRow::tokens).sum(),
                kept.stream().mapToDouble(PredictionRow::seconds).sum(),
                wallSeconds, wallSeconds > 0 ? runTokens / wallSeconds : 0,
                primaryGrader(kept), graderAccuracies(kept), disagreeCount(kept), disagreeing(kept));
    }

    private static String primaryGrader(List<PredictionRow> rows) {
        return rows.stream().map(PredictionRow::grader).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Accuracy under each grader named in the rows' {@code graders}; a row without one counts as incorrect. */
    private static Map<String, Accuracy> graderAccuracies(List<PredictionRow> rows) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        rows.stream().filter(r -> r.graders() != null).forEach(r -> r.graders().forEach((name, outcome) ->
                counts.computeIfAbsent(name, k -> new long[1])[0] += outcome.correct() ? 1 : 0));
        if (counts.isEmpty()) {
            return null;
        }
        Map<String, Accuracy> out = new LinkedHashMap<>();
        counts.forEach((name, c) -> out.put(name, Accuracy.of(c[0], rows.size())));
        return out;
    }

    private static Integer disagreeCount(List<PredictionRow> rows) {
        List<String> ids = disagreeing(rows);
        return ids == null ? null : ids.size();
    }

    private static List<String> disagreeing(List<PredictionRow> rows) {
        if (rows.stream().noneMatch(r -> r.graders() != null)) {
            return null;
        }
        return rows.stream().filter(r -> GraderPanel.disagree(r.graders()))
                .map(r -> r.sample() == 0 ? r.id() : r.id() + "#" + r.sample()).toList();
    }

    private static Accuracy count(List<PredictionRow> rows, java.util.function.Predicate<PredictionRow> correct) {
        return Accuracy.of(rows.stream().filter(correct).count(), rows.size());
    }

    private static List<String> differ(List<PredictionRow> rows) {
        return rows.stream().filter(r -> r.correct() != r.strictCorrect())
                .map(r -> r.sample() == 0 ? r.id() : r.id() + "#" + r.sample()).toList();
    }

    private static String levelKey(int level) {
        return level > 0 ? Integer.toString(level) : "unknown";
    }

    private static Map<String, Accuracy> split(List<PredictionRow> rows, Function<PredictionRow, String> group) {
        Map<String, long[]> counts = new TreeMap<>();
        for (PredictionRow row : rows) {
            String key = group.apply(row);
            long[] c = counts.computeIfAbsent(key == null ? "unknown" : key, k -> new long[2]);
            c[0] += row.correct() ? 1 : 0;
            c[1]++;
        }
        Map<String, Accuracy> out = new LinkedHashMap<>();
        counts.forEach((k, c) -> out.put(k, Accuracy.of(c[0], c[1])));
        return out;
    }

    /** maj@n over items: an item counts as correct when the first sample carrying the winning answer is. */
    private static Accuracy majority(java.util.Collection<List<PredictionRow>> byItem) {
        long correct = 0;
        for (List<PredictionRow> rows : byItem) {
            int winner = MajorityVote.winner(rows.stream().map(PredictionRow::extracted).toList());
            correct += winner >= 0 && rows.get(winner).correct() ? 1 : 0;
        }
        return Accuracy.of(correct, byItem.size());
    }

    /** Mean over items of the unbiased pass@k, for k = 1, 2, 4, ... below n, and n. */
    private static Map<String, Double> passAtK(java.util.Collection<List<PredictionRow>> byItem, int n) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int k = 1; k <= n; k = k < n && k * 2 > n ? n : k * 2) {
            double sum = 0;
            int counted = 0;
            for (List<PredictionRow> rows : byItem) {
                if (rows.size() >= k) {
                    sum += PassAtK.estimate(rows.size(), (int) rows.stream().filter(PredictionRow::correct).count(), k);
                    counted++;
                }
            }
            out.put("pass@" + k, counted == 0 ? 0 : sum / counted);
            if (k == n) {
                break;
            }
        }
        return out;
    }

    private static Map<String, Integer> finishReasons(List<PredictionRow> rows) {
        Map<String, Integer> out = new TreeMap<>();
        rows.forEach(r -> out.merge(String.valueOf(r.finishReason()), 1, Integer::sum));
        return out;
    }
}
