package dev.mathtune.experiment;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.mathtune.report.StudyNumbers;

/**
 * The accuracies to show beside ours, looked up by the report's method label and evaluation set label:
 * the reproduced study's ({@link StudyNumbers#paper()}, and for the untuned rows under a published protocol
 * {@link PublishedFigures}), a recipe's own table (label to set to percent), or none.
 */
public final class StudyTable {
    private final String source;
    private final StudyNumbers paper;
    private final Map<String, Map<String, Double>> table;
    private final Map<String, Map<String, Double>> percent;

    private StudyTable(String source, StudyNumbers paper, Map<String, Map<String, Double>> table,
                       Map<String, Map<String, Double>> percent) {
        this.source = source;
        this.paper = paper;
        this.table = table;
        this.percent = percent;
    }

    public static StudyTable none() {
        return new StudyTable("none", null, Map.of(), Map.of());
    }

    /** The study's numbers: SFT, LoRA, Aug, Prefix (Qwen2.5-0.5B) and Qwen2.5-Math-1.5B on GSM8K and MATH500. */
    public static StudyTable paper() {
        return new StudyTable("paper", StudyNumbers.paper(), Map.of(), Map.of());
    }

    /** A table of percentages: method label to evaluation set label to accuracy in percent. */
    public static StudyTable of(Map<String, Map<String, Double>> percent) {
        Map<String, Map<String, Double>> t = new LinkedHashMap<>();
        percent.forEach((method, sets) -> {
            Map<String, Double> row = new LinkedHashMap<>();
            sets.forEach((set, pct) -> row.put(key(set), pct / 100));
            t.put(key(method), row);
        });
        return new StudyTable("table", null, t, percent);
    }

    /** As the recipe writes it: {@code "paper"}, {@code "none"}, or the table of percentages. */
    public Object toJson() {
        return source.equals("table") ? percent : source;
    }

    /** The inverse of {@link #toJson()}. */
    public static StudyTable fromJson(com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null || node.isNull() || "none".equals(node.asText())) return none();
        if (node.isTextual()) return paper();
        Map<String, Map<String, Double>> t = new LinkedHashMap<>();
        node.fields().forEachRemaining(row -> {
            Map<String, Double> sets = new LinkedHashMap<>();
            row.getValue().fields().forEachRemaining(c -> sets.put(c.getKey(), c.getValue().asDouble()));
            t.put(row.getKey(), sets);
        });
        return of(t);
    }

    /** {@code paper}, {@code table} or {@code none}. */
    public String source() {
        return source;
    }

    /** The accuracy (a fraction) for a method label on an evaluation set label, if there is one. */
    public Optional<Double> accuracy(String method, String evalSet) {
        if (paper != null) return paper.accuracy(method, evalSet).or(() -> PublishedFigures.accuracy(method, evalSet));
        Map<String, Double> row = table.get(key(method));
        return row == null ? Optional.empty() : Optional.ofNullable(row.get(key(evalSet)));
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
