package dev.mathtune.generate;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A generation backend: the embedded engine or an OpenAI-compatible HTTP server. Implementations may finish
 * requests in any order and call {@code sink} from any thread, once per request, as each one finishes; this is
 * what lets evaluation and augmentation append each result to disk as soon as it exists.
 */
public interface TextGenerator extends AutoCloseable {

    /** Completes every request; returns when all have been passed to {@code sink}. */
    void generate(List<GenerationRequest> requests, Consumer<Completion> sink);

    /**
     * The exact text the model receives for {@code request}, where this backend knows it: the prompt of a text
     * request; a chat request's rendering by the model's chat template only where the template is at hand
     * (the embedded engine), empty otherwise (a server renders it).
     */
    default Optional<String> promptText(GenerationRequest request) {
        return request.isChat() ? Optional.empty() : Optional.of(request.prompt());
    }

    /**
     * Whether this backend honours a request's {@link Choices} (several choices, log-probs, streamed deltas and
     * cancellation, all through its listener). One that does not answers each request with one plain completion.
     */
    default boolean reportsChoices() {
        return false;
    }

    /** A short description for logs and run records, e.g. {@code "embedded:/models/qwen"} or an endpoint URL. */
    String describe();

    /**
     * The dtype this backend computes in ({@code "fp32"}, {@code "bf16"}) where it is known (the embedded engine),
     * empty where it is not (a server's is its own), for run records.
     */
    default Optional<String> computeDtype() {
        return Optional.empty();
    }

    @Override
    default void close() {
    }
}
