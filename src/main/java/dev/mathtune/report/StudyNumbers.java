package dev.mathtune.report;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The accuracies the reproduced study reported (Qwen2.5-0.5B fine-tuned with each method; the expert model
 * Qwen2.5-Math-1.5B as is), as fractions, looked up by method and evaluation set with forgiving names.
 */
public final class StudyNumbers {
    private static final Map<String, double[]> GSM8K_MATH500 = Map.of(
            "sft", new double[] {34.27, 7.00},
            "lora", new double[] {28.54, 7.60},
            "aug", new double[] {37.07, 8.00},
            "prefix", new double[] {57.47, 11.40},
            "expert", new double[] {84.38, 51.80});
    private static final Map<String, String> ALIASES = Map.of(
            "sftaug", "aug", "augsft", "aug", "auggsm8k", "aug", "augmented", "aug", "sftaugmented", "aug",
            "prefixtuning", "prefix", "qwen25math15b", "expert", "fullsft", "sft", "fullfinetuning", "sft");

    /** The numbers of the study (GSM8K and MATH500 for SFT, LoRA, Aug, Prefix and the expert model). */
    public static StudyNumbers paper() {
        return new StudyNumbers();
    }

    private StudyNumbers() {
    }

    /**
     * The study's accuracy for a method on an evaluation set, as a fraction. Names are compared without case
     * and punctuation: {@code "Prefix-Tuning"}, {@code "prefix"}; {@code "SFT-aug"}, {@code "Aug"};
     * {@code "Qwen2.5-Math-1.5B"}, {@code "expert"}; {@code "GSM8K"}, {@code "math500"}.
     */
    public Optional<Double> accuracy(String method, String evalSet) {
        String m = key(method);
        double[] row = GSM8K_MATH500.get(ALIASES.getOrDefault(m, m));
        int column = switch (key(evalSet)) {
            case "gsm8k" -> 0;
            case "math500" -> 1;
            default -> -1;
        };
        return row == null || column < 0 ? Optional.empty() : Optional.of(row[column] / 100);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
