package dev.mathtune.generate.openai;

import dev.mathtune.UserError;

import java.time.Duration;
import java.util.Map;

/**
 * How {@link OpenAiClient} calls a server.
 *
 * @param endpoint          the API root, with or without a trailing {@code /v1}
 * @param model             the served model name sent as {@code "model"}
 * @param apiKey            sent as {@code Authorization: Bearer ...}; null for none
 * @param concurrency       how many requests are in flight at once (default 8)
 * @param maxRetries        retries after a 429 / 5xx / connection error / timeout (default 5)
 * @param requestTimeout    the longest one HTTP request may take (default 10 minutes)
 * @param requestsPerSecond a cap on request starts per second; 0 for none
 * @param retryBaseDelay    the first retry's backoff (doubling after, up to 30 s; default 500 ms)
 */
public record OpenAiClientOptions(String endpoint, String model, String apiKey, int concurrency, int maxRetries,
                                  Duration requestTimeout, double requestsPerSecond, Duration retryBaseDelay) {
    /** The longest backoff between retries (a server's {@code Retry-After} may ask for more). */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    public OpenAiClientOptions {
        ApiBase.parse(endpoint);
        if (model == null || model.isBlank()) {
            throw new UserError("served model name is empty (set the model name the server was started with)");
        }
        if (concurrency < 1) {
            throw new UserError("concurrency must be >= 1, got " + concurrency);
        }
        if (maxRetries < 0) {
            throw new UserError("max retries must be >= 0, got " + maxRetries);
        }
        if (requestTimeout == null || requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new UserError("request timeout must be positive, got " + requestTimeout);
        }
        if (requestsPerSecond < 0 || Double.isNaN(requestsPerSecond)) {
            throw new UserError("requests per second must be >= 0 (0 = unlimited), got " + requestsPerSecond);
        }
        if (retryBaseDelay == null || retryBaseDelay.isNegative() || retryBaseDelay.compareTo(MAX_BACKOFF) > 0) {
            throw new UserError("retry base delay must be between 0 and " + MAX_BACKOFF + ", got " + retryBaseDelay);
        }
        apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    /** Defaults: no API key, concurrency 8, 5 retries, 10-minute timeout, no rate limit, 500 ms first backoff. */
    public static OpenAiClientOptions of(String endpoint, String model) {
        return new OpenAiClientOptions(endpoint, model, null, 8, 5, Duration.ofMinutes(10), 0,
                Duration.ofMillis(500));
    }

    public OpenAiClientOptions withApiKey(String key) {
        return new OpenAiClientOptions(endpoint, model, key, concurrency, maxRetries, requestTimeout,
                requestsPerSecond, retryBaseDelay);
    }

    /** Reads the API key from the environment variable the user named; {@link UserError} when it is unset. */
    public OpenAiClientOptions withApiKeyFromEnv(String envVar) {
        return withApiKeyFromEnv(envVar, System.getenv());
    }

    /** As {@link #withApiKeyFromEnv(String)}, reading from {@code env} (for tests). */
    public OpenAiClientOptions withApiKeyFromEnv(String envVar, Map<String, String> env) {
        if (envVar == null || envVar.isBlank()) {
            throw new UserError("API key environment variable name is empty");
        }
        String key = env.get(envVar);
        if (key == null || key.isBlank()) {
            throw new UserError("API key environment variable " + envVar + " is not set");
        }
        return withApiKey(key);
    }

    public OpenAiClientOptions withConcurrency(int n) {
        return new OpenAiClientOptions(endpoint, model, apiKey, n, maxRetries, requestTimeout,
                requestsPerSecond, retryBaseDelay);
    }

    public OpenAiClientOptions withMaxRetries(int n) {
        return new OpenAiClientOptions(endpoint, model, apiKey, concurrency, n, requestTimeout,
                requestsPerSecond, retryBaseDelay);
    }

    public OpenAiClientOptions withRequestTimeout(Duration timeout) {
        return new OpenAiClientOptions(endpoint, model, apiKey, concurrency, maxRetries, timeout,
                requestsPerSecond, retryBaseDelay);
    }

    public OpenAiClientOptions withRequestsPerSecond(double rps) {
        return new OpenAiClientOptions(endpoint, model, apiKey, concurrency, maxRetries, requestTimeout,
                rps, retryBaseDelay);
    }

    public OpenAiClientOptions withRetryBaseDelay(Duration delay) {
        return new OpenAiClientOptions(endpoint, model, apiKey, concurrency, maxRetries, requestTimeout,
                requestsPerSecond, delay);
    }

    /** The parsed endpoint. */
    public ApiBase base() {
        return ApiBase.parse(endpoint);
    }

    /** Never prints the API key. */
    @Override
    public String toString() {
        return "OpenAiClientOptions[endpoint=" + endpoint + ", model=" + model + ", apiKey="
                + (apiKey == null ? "none" : "***") + ", concurrency=" + concurrency + ", maxRetries=" + maxRetries
                + ", requestTimeout=" + requestTimeout + ", requestsPerSecond=" + requestsPerSecond
                + ", retryBaseDelay=" + retryBaseDelay + "]";
    }
}
