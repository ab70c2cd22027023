package dev.mathtune.eval;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code correct} out of {@code total}, the proportion, and its Wilson 95% interval. */
public record Accuracy(long correct, long total, double accuracy,
                       @JsonProperty("ci95_low") double ci95Low, @JsonProperty("ci95_high") double ci95High) {

    public static Accuracy of(long correct, long total) {
        WilsonInterval ci = WilsonInterval.of95(correct, total);
        return new Accuracy(correct, total, total == 0 ? 0 : (double) correct / total, ci.lower(), ci.upper());
    }
}
