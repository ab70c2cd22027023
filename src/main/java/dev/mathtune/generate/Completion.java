package dev.mathtune.generate;

import java.util.List;

import dev.mathtune.generate.calc.CalculatorCall;

/**
 * The result of one {@link GenerationRequest}: the completion text (stop string excluded), its token ids
 * (empty when a remote server does not return them), why it stopped, token counts, wall seconds, and the
 * calculator calls made while decoding it (empty without {@code --calculator}).
 */
public record Completion(String id, String text, List<Integer> tokenIds, FinishReason finishReason,
                         int promptTokens, int completionTokens, double seconds, List<CalculatorCall> calculatorCalls) {
    public Completion {
        tokenIds = tokenIds == null ? List.of() : List.copyOf(tokenIds);
        calculatorCalls = calculatorCalls == null ? List.of() : List.copyOf(calculatorCalls);
    }

    public Completion(String id, String text, List<Integer> tokenIds, FinishReason finishReason,
                      int promptTokens, int completionTokens, double seconds) {
        this(id, text, tokenIds, finishReason, promptTokens, completionTokens, seconds, List.of());
    }
}
