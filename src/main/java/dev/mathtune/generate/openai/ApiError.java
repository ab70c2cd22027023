package dev.mathtune.generate.openai;

/**
 * A request {@link OpenAiServer} refuses or fails: the HTTP status (4xx for the client's fault, 5xx for the
 * backend's) and a one-line message, sent as {@code {"error":{"message":...,"type":...}}}.
 */
public final class ApiError extends RuntimeException {
    private final int status;
    private final String type;

    public ApiError(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    /** A 400 {@code invalid_request_error}. */
    public static ApiError invalid(String message) {
        return new ApiError(400, "invalid_request_error", message);
    }

    public int status() {
        return status;
    }

    /** The OpenAI error type, e.g. {@code invalid_request_error}. */
    public String type() {
        return type;
    }
}
