package dev.mathtune.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of {@code predictions.jsonl}: one sample of one item, with the rendered prompt, the completion, the
 * extracted answer and the rule that found it, the reference, the lenient verdict and its reason, the strict
 * verdict, completion tokens, generation seconds and the finish reason ({@code stop} or {@code length}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PredictionRow(String id, int sample, String prompt, String completion, String extracted, String rule,
                            String reference, boolean correct, String reason,
                            @JsonProperty("strict_correct") boolean strictCorrect, int tokens, double seconds,
                            @JsonProperty("finish_reason") String finishReason) {

    /** This row with {@code prompt} and {@code completion} dropped, for metrics kept in memory. */
    public PredictionRow withoutText() {
        return new PredictionRow(id, sample, null, null, extracted, rule, reference, correct, reason, strictCorrect,
                tokens, seconds, finishReason);
    }

    /** The resume key: {@code id} and {@code sample}. */
    public Key key() {
        return new Key(id, sample);
    }

    /** Identifies one sample of one item. */
    public record Key(String id, int sample) {
    }
}
