package dev.mathtune.eval;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mathtune.eval.grade.GraderOutcome;

import java.util.List;
import java.util.Map;

import dev.mathtune.generate.calc.CalculatorCall;

/**
 * One line of {@code predictions.jsonl}: one sample of one item, with the rendered prompt, the completion, the
 * extracted answer and the rule that found it, the reference, the verdict of the run's primary grader and its reason,
 * the strict (PRM800K) verdict, completion tokens, generation seconds and the finish reason ({@code stop} or
 * {@code length}). The record of the item: its {@code question}, gold {@code solution} (where the dataset has one),
 * {@code subject} and {@code level} (MATH), the primary grader's name, and {@code graders}: every grader's extracted
 * and normalised answer and verdict (see {@link dev.mathtune.eval.grade.GraderPanel}); with {@code --calculator},
 * {@code calculator_calls}: the calculator's calls in order (expression, result, token index, text offset). Rows
 * written before these fields existed read with them {@code null}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PredictionRow(String id, int sample, String prompt, String completion, String extracted, String rule,
                            String reference, boolean correct, String reason,
                            @JsonProperty("strict_correct") boolean strictCorrect, int tokens, double seconds,
                            @JsonProperty("finish_reason") String finishReason,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String question,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String solution,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String subject,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Integer level,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String grader,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, GraderOutcome> graders,
                            @JsonProperty("calculator_calls") @JsonInclude(JsonInclude.Include.NON_NULL)
                            List<CalculatorCall> calculatorCalls) {

    /** A row without calculator calls (decoded without the calculator). */
    public PredictionRow(String id, int sample, String prompt, String completion, String extracted, String rule,
                         String reference, boolean correct, String reason, boolean strictCorrect, int tokens,
                         double seconds, String finishReason, String question, String solution, String subject,
                         Integer level, String grader, Map<String, GraderOutcome> graders) {
        this(id, sample, prompt, completion, extracted, rule, reference, correct, reason, strictCorrect, tokens,
                seconds, finishReason, question, solution, subject, level, grader, graders, null);
    }

    /** A row without the item record and the side-by-side graders. */
    public PredictionRow(String id, int sample, String prompt, String completion, String extracted, String rule,
                         String reference, boolean correct, String reason, boolean strictCorrect, int tokens,
                         double seconds, String finishReason) {
        this(id, sample, prompt, completion, extracted, rule, reference, correct, reason, strictCorrect, tokens,
                seconds, finishReason, null, null, null, null, null, null);
    }

    /** This row with prompt, completion, question and solution text dropped, for metrics kept in memory. */
    public PredictionRow withoutText() {
        return new PredictionRow(id, sample, null, null, extracted, rule, reference, correct, reason, strictCorrect,
                tokens, seconds, finishReason, null, null, subject, level, grader, graders, calculatorCalls);
    }

    /** The resume key: {@code id} and {@code sample}. */
    public Key key() {
        return new Key(id, sample);
    }

    /** Identifies one sample of one item. */
    public record Key(String id, int sample) {
    }
}
