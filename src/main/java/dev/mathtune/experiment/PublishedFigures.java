package dev.mathtune.experiment;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Published accuracies of untuned models under a named protocol, shown beside the study recipe's rows of the
 * same label (with {@code study: paper}, after the study's own numbers). Percentages as quoted in issue 15:
 * Qwen2.5-0.5B base 36.7 GSM8K / 15.8 MATH500 with Qwen's evaluation code, zero-shot; 41.6 GSM8K 4-shot (Qwen2.5
 * technical report); Qwen2.5-Math-1.5B 76.8 GSM8K few-shot and 49.8 MATH 4-shot (Qwen2.5-Math report; MATH is
 * the full 5000-problem test set there, shown beside our MATH500 row).
 */
final class PublishedFigures {
    static final String BASE_ZERO_SHOT = "Qwen2.5-0.5B (qwen25-math-cot, 0-shot)";
    static final String BASE_FOUR_SHOT = "Qwen2.5-0.5B (qwen-cot, 4-shot)";
    static final String MATH_FEW_SHOT = "Qwen2.5-Math-1.5B (qwen-cot, 4-shot)";
    private static final Map<String, Map<String, Double>> PERCENT = Map.of(
            key(BASE_ZERO_SHOT), Map.of("gsm8k", 36.7, "math500", 15.8),
            key(BASE_FOUR_SHOT), Map.of("gsm8k", 41.6),
            key(MATH_FEW_SHOT), Map.of("gsm8k", 76.8, "math500", 49.8));

    private PublishedFigures() {
    }

    /** The published accuracy (a fraction) for a run label on an evaluation set label, if there is one. */
    static Optional<Double> accuracy(String label, String evalSet) {
        Map<String, Double> row = PERCENT.get(key(label));
        return row == null ? Optional.empty() : Optional.ofNullable(row.get(key(evalSet))).map(p -> p / 100);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
