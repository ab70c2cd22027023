package dev.mathtune.generate.openai;

import dev.mathtune.generate.GenerationRequest;

/**
 * One validated request to {@link OpenAiServer}: what to generate, and how to answer ({@code stream} as
 * server-sent events, with a final usage chunk when {@code stream_options.include_usage}).
 */
public record ApiRequest(GenerationRequest generation, boolean stream, boolean includeUsage) {
}
