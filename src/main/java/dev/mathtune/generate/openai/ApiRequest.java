package dev.mathtune.generate.openai;

import dev.mathtune.generate.GenerationRequest;

/**
 * One validated request to {@link OpenAiServer}: what to generate, and how to answer ({@code stream} as
 * server-sent events, with a final usage chunk when {@code stream_options.include_usage}); {@code n} choices, and
 * {@code logprobs} most likely alternatives with each token's log-prob ({@code -1}: no log-probs).
 */
public record ApiRequest(GenerationRequest generation, boolean stream, boolean includeUsage, int n, int logprobs) {
    public ApiRequest(GenerationRequest generation, boolean stream, boolean includeUsage) {
        this(generation, stream, includeUsage, 1, -1);
    }
}
