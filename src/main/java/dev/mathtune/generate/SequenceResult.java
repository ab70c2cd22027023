package dev.mathtune.generate;

import java.util.List;

import dev.mathtune.generate.calc.CalculatorCall;

/**
 * What the {@link Generator} produced for one {@link SequenceRequest}: new token ids (a matched stop string's
 * tokens included; the EOS token excluded; tokens forced by the calculator included), the log-probability of each
 * under the model's unscaled distribution, why it stopped, the decoded text cut before any stop string, and the
 * calculator calls made, in order.
 */
public record SequenceResult(int index, int[] tokens, double[] logprobs, FinishReason finishReason, String text,
                             List<CalculatorCall> calculatorCalls) {
    public SequenceResult {
        calculatorCalls = calculatorCalls == null ? List.of() : List.copyOf(calculatorCalls);
    }

    public SequenceResult(int index, int[] tokens, double[] logprobs, FinishReason finishReason, String text) {
        this(index, tokens, logprobs, finishReason, text, List.of());
    }
}
