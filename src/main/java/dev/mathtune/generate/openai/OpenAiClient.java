package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link TextGenerator} over any OpenAI-compatible server (vLLM, SGLang, llama.cpp, Ollama, {@link OpenAiServer}).
 * Text requests go to {@code /v1/completions}, chat requests to {@code /v1/chat/completions}. Up to
 * {@link OpenAiClientOptions#concurrency()} requests are in flight at once; 429, 5xx, connection errors and
 * timeouts are retried with exponential backoff and jitter (honouring {@code Retry-After}); other 4xx answers
 * fail at once with an {@link EndpointError} naming the endpoint, the status and the server's message.
 *
 * <p>{@link #generate} passes each {@link Completion} to {@code sink} as soon as it arrives, <b>from worker
 * threads</b>, possibly several at once: the sink must be thread-safe. On the first failure the remaining requests
 * are cancelled and the error is thrown; completions already passed to the sink stay delivered.
 */
public final class OpenAiClient implements TextGenerator {
    private static final int MAX_ERROR_CHARS = 300;

    private final OpenAiClientOptions options;
    private final ApiBase base;
    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http;
    private final ExecutorService workers;
    private final RateLimiter rateLimiter;
    private final Backoff backoff;

    public OpenAiClient(OpenAiClientOptions options) {
        this.options = options;
        this.base = options.base();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(min(options.requestTimeout(), Duration.ofSeconds(30)))
                .build();
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(options.concurrency(), r -> {
            Thread t = new Thread(r, "openai-client-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.rateLimiter = new RateLimiter(options.requestsPerSecond());
        this.backoff = new Backoff(options.retryBaseDelay(), OpenAiClientOptions.MAX_BACKOFF);
    }

    @Override
    public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
        ExecutorCompletionService<Void> done = new ExecutorCompletionService<>(workers);
        List<Future<Void>> futures = new ArrayList<>(requests.size());
        for (GenerationRequest request : requests) {
            futures.add(done.submit(() -> {
                sink.accept(complete(request));
                return null;
            }));
        }
        try {
            for (int i = 0; i < futures.size(); i++) {
                done.take().get();
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + base, e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** Sends one request (retrying as configured) and returns its completion; blocks the calling thread. */
    public Completion complete(GenerationRequest request) throws InterruptedException {
        URI uri = base.resolve(OpenAiRequestJson.path(request));
        byte[] body = json(request);
        long start = System.nanoTime();
        EndpointError last = null;
        for (int attempt = 0; attempt <= options.maxRetries(); attempt++) {
            if (attempt > 0) {
                Thread.sleep(backoff.delay(attempt, last.retryAfter(), ThreadLocalRandom.current()).toMillis());
            }
            rateLimiter.acquire();
            try {
                JsonNode answer = send(uri, body);
                double seconds = (System.nanoTime() - start) / 1e9;
                return parse(uri, request, answer, seconds);
            } catch (EndpointError e) {
                if (!e.retryable()) {
                    throw e;
                }
                last = e;
            }
        }
        int attempts = options.maxRetries() + 1;
        throw new EndpointError(uri, last.status(), true,
                last.getMessage() + " (gave up after " + attempts + " attempt" + (attempts == 1 ? "" : "s") + ")",
                last.getCause());
    }

    private byte[] json(GenerationRequest request) {
        try {
            return mapper.writeValueAsBytes(OpenAiRequestJson.body(mapper, request, options.model()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode request " + request.id(), e);
        }
    }

    /** One HTTP attempt: the parsed 2xx body, or an {@link EndpointError} marked retryable or not. */
    private JsonNode send(URI uri, byte[] body) throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (options.apiKey() != null) {
            builder.header("Authorization", "Bearer " + options.apiKey());
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            throw new EndpointError(uri, 0, true, "POST " + uri + ": no answer within "
                    + options.requestTimeout().toSeconds() + " s (request timeout)", e);
        } catch (IOException e) {
            throw new EndpointError(uri, 0, true, "POST " + uri + ": cannot reach server: " + e, e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            try {
                return mapper.readTree(response.body());
            } catch (IOException e) {
                throw new EndpointError(uri, status, false, "POST " + uri + ": HTTP " + status
                        + " with a body that is not JSON: " + snippet(new String(response.body(), StandardCharsets.UTF_8)), e);
            }
        }
        boolean retryable = status == 429 || status == 408 || status >= 500;
        Duration retryAfter = Backoff.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null),
                ZonedDateTime.now()).orElse(null);
        throw new EndpointError(uri, status, retryable, retryAfter, "POST " + uri + ": HTTP " + status + ": "
                + serverMessage(response.body()), null);
    }

    private Completion parse(URI uri, GenerationRequest request, JsonNode answer, double seconds) {
        try {
            return OpenAiResponseJson.completion(request.id(), answer, request.isChat(), seconds);
        } catch (IllegalArgumentException e) {
            throw new EndpointError(uri, 200, false, "POST " + uri + ": " + e.getMessage() + ": "
                    + snippet(answer.toString()), e);
        }
    }

    private String serverMessage(byte[] body) {
        String raw = new String(body, StandardCharsets.UTF_8);
        try {
            return snippet(OpenAiResponseJson.errorMessage(mapper.readTree(body)).orElse(raw));
        } catch (IOException | RuntimeException notJson) {
            return raw.isBlank() ? "(empty body)" : snippet(raw);
        }
    }

    private static String snippet(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_ERROR_CHARS ? oneLine : oneLine.substring(0, MAX_ERROR_CHARS) + "...";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public String describe() {
        return "openai:" + base + " model=" + options.model();
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
