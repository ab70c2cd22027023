package dev.mathtune.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One line of a training {@code metrics.jsonl}:
 * {@code {"step":1,"loss":2.3,"lr":1e-4,"grad_norm":1.2,"tokens_per_s":100,"elapsed_s":3.2}}.
 * Missing numbers read as {@code NaN}.
 *
 * @param step       the optimiser step, from 1
 * @param loss       the training loss of the step
 * @param lr         the learning rate used
 * @param gradNorm   the gradient norm before clipping
 * @param tokensPerS training throughput in tokens per second
 * @param elapsedS   seconds since training started
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricsRow(@JsonProperty("step") long step,
                         @JsonProperty("loss") double loss,
                         @JsonProperty("lr") double lr,
                         @JsonProperty("grad_norm") double gradNorm,
                         @JsonProperty("tokens_per_s") double tokensPerS,
                         @JsonProperty("elapsed_s") double elapsedS) {
}
