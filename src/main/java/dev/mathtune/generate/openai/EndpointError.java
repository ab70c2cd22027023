package dev.mathtune.generate.openai;

import dev.mathtune.UserError;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A call to an OpenAI-compatible endpoint failed: a 4xx answer (not retried), or a 429 / 5xx / connection error
 * that persisted through every retry. The one-line message names the endpoint, the HTTP status (0 when no answer
 * came) and the server's own message. It is a {@link UserError}: the endpoint is the user's to fix.
 */
public class EndpointError extends UserError {
    private final URI endpoint;
    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;

    public EndpointError(URI endpoint, int status, boolean retryable, String message, Throwable cause) {
        this(endpoint, status, retryable, null, message, cause);
    }

    /** As the other constructor, with the delay the server asked for in {@code Retry-After} (null for none). */
    public EndpointError(URI endpoint, int status, boolean retryable, Duration retryAfter, String message,
                         Throwable cause) {
        super(message, cause);
        this.endpoint = endpoint;
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** The URI that was called. */
    public URI endpoint() {
        return endpoint;
    }

    /** The HTTP status of the last answer, or 0 when the server could not be reached or timed out. */
    public int status() {
        return status;
    }

    /** Whether this failure is worth retrying (429, 5xx, connection errors and timeouts). */
    public boolean retryable() {
        return retryable;
    }

    /** The wait the server asked for before a retry ({@code Retry-After}), when it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
