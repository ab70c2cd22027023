package dev.mathtune.generate;

import java.util.List;

/**
 * The result of one {@link GenerationRequest}: the completion text (stop string excluded), its token ids
 * (empty when a remote server does not return them), why it stopped, token counts and wall seconds.
 */
public record Completion(String id, String text, List<Integer> tokenIds, FinishReason finishReason,
                         int promptTokens, int completionTokens, double seconds) {
    public Completion {
        tokenIds = tokenIds == null ? List.of() : List.copyOf(tokenIds);
    }
}
