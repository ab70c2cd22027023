package dev.mathtune.generate.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mathtune.UserError;
import dev.mathtune.generate.Choices;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible HTTP server over any {@link TextGenerator}: {@code GET /v1/models},
 * {@code POST /v1/completions}, {@code POST /v1/chat/completions} and {@code GET /health}. Requests that arrive
 * together reach the backend in one {@code generate} call (see {@link BatchDispatcher}). Where the backend reports
 * choices ({@link TextGenerator#reportsChoices()}, the embedded engine), a request may ask for {@code n} choices and
 * log-probs, and {@code stream: true} sends text deltas as tokens are decoded (see {@link EventStream}; a client
 * that disconnects frees its slots); other backends give one choice, streamed as one chunk. Bad requests get a 4xx
 * {@code {"error":{...}}} answer and the server keeps serving. Each answer's choice also carries the completion's
 * {@code token_ids} (non-standard), which {@link OpenAiClient} reads. One server may answer for several names
 * ({@link ServedModel}: a base model and adapters sharing its weights), each request going to the one its
 * {@code model} names.
 */
public final class OpenAiServer implements AutoCloseable {
    private static final String JSON = "application/json";
    private static final int MAX_DRAIN_FACTOR = 16;

    private final HttpServer http;
    private final ExecutorService handlers;
    private final BatchDispatcher dispatcher;
    private final ServerOptions options;
    private final ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final ApiRequestParser parser;
    private final ApiResponseJson responses;
    private final List<ServedModel> served;
    private final AtomicLong nextId = new AtomicLong();
    private final long started = System.currentTimeMillis() / 1000;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final boolean reportsChoices;

    private OpenAiServer(List<ServedModel> served, ServerOptions options) throws IOException {
        this.options = options;
        this.served = List.copyOf(served);
        List<String> names = served.stream().map(ServedModel::name).toList();
        this.parser = new ApiRequestParser(names, options);
        this.responses = new ApiResponseJson(mapper, names.get(0));
        this.http = HttpServer.create(new InetSocketAddress(options.host(), options.port()), 128);
        AtomicInteger count = new AtomicInteger();
        this.handlers = Executors.newFixedThreadPool(options.handlerThreads(), r -> {
            Thread t = new Thread(r, "openai-server-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Map<String, TextGenerator> backends = new LinkedHashMap<>();
        served.forEach(m -> backends.put(m.name(), m.backend()));
        this.dispatcher = new BatchDispatcher(backends, options.maxBatch());
        this.reportsChoices = served.stream().allMatch(m -> m.backend().reportsChoices());
        http.setExecutor(handlers);
        http.createContext("/", this::handle);
        http.start();
    }

    /**
     * Starts serving {@code backend} as model {@code modelName}; {@link UserError} when the address cannot be
     * bound. Close the returned server to stop it (the backend is not closed).
     */
    public static OpenAiServer start(TextGenerator backend, String modelName, ServerOptions options) {
        if (modelName == null || modelName.isBlank()) {
            throw new UserError("served model name is empty");
        }
        return start(List.of(ServedModel.base(modelName, backend)), options);
    }

    /**
     * Starts serving several names, e.g. a base model and adapters on it: a request's {@code model} picks one (the
     * first when absent), {@code /v1/models} lists them in order, and their queues are served round-robin
     * ({@link BatchDispatcher}). {@link UserError} for a repeated name or an address that cannot be bound.
     */
    public static OpenAiServer start(List<ServedModel> served, ServerOptions options) {
        if (served.isEmpty()) throw new UserError("no model to serve");
        Set<String> names = new HashSet<>();
        for (ServedModel m : served) {
            if (!names.add(m.name())) throw new UserError("served model name '" + m.name() + "' is given twice");
        }
        try {
            return new OpenAiServer(served, options);
        } catch (IOException e) {
            throw new UserError("cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
        }
    }

    /** The port actually bound (useful when started with port 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The base URL clients should use, e.g. {@code http://127.0.0.1:8000/v1}. */
    public String url() {
        String host = http.getAddress().getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/v1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (ApiError e) {
                sendJson(exchange, e.status(), responses.error(e.status(), e.type(), e.getMessage()));
            } catch (RuntimeException e) {
                sendJson(exchange, 500, responses.error(500, "server_error", "internal error: " + e));
            }
        } catch (IOException clientGone) {
            // The client hung up; nothing left to answer.
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        while (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        switch (path) {
            case "/health" -> {
                requireMethod(exchange, "GET");
                sendJson(exchange, 200, mapper.createObjectNode().put("status", "ok"));
            }
            case "/v1/models" -> {
                requireMethod(exchange, "GET");
                checkAuth(exchange);
                sendJson(exchange, 200, responses.models(started, served));
            }
            case "/v1/completions" -> complete(exchange, false);
            case "/v1/chat/completions" -> complete(exchange, true);
            default -> throw new ApiError(404, "invalid_request_error", "no such endpoint: " + path);
        }
    }

    private void complete(HttpExchange exchange, boolean chat) throws IOException {
        requireMethod(exchange, "POST");
        checkAuth(exchange);
        JsonNode body = readJson(exchange);
        String id = (chat ? "chatcmpl-" : "cmpl-") + nextId.incrementAndGet();
        ApiRequest request = parser.parse(body, chat, id);
        String model = parser.model(body);
        ApiResponseJson responses = this.responses.forModel(model);
        if (!reportsChoices && request.n() > 1) {
            throw ApiError.invalid("field 'n' must be 1: this server's backend gives one choice per request");
        }
        if (!reportsChoices && request.logprobs() >= 0) {
            throw ApiError.invalid("field 'logprobs' is not supported by this server's backend");
        }
        ChoiceEvents events = new ChoiceEvents();
        GenerationRequest generation = request.generation().withChoices(
                new Choices(request.n(), request.logprobs(), request.stream(), events));
        dispatcher.submit(model, generation).whenComplete(events::complete);
        long created = System.currentTimeMillis() / 1000;
        try {
            if (request.stream()) {
                new EventStream(mapper, responses, id, created, chat, request).send(exchange, events);
            } else {
                ChoiceEvents.Answer answer = collect(events, request.n());
                sendJson(exchange, 200, responses.completion(id, created, chat, answer, request.logprobs() >= 0));
            }
        } catch (InterruptedException e) {
            events.cancel();
            Thread.currentThread().interrupt();
            throw new ApiError(503, "server_error", "server is shutting down");
        }
    }

    private static ChoiceEvents.Answer collect(ChoiceEvents events, int n) throws InterruptedException {
        try {
            return events.collect(n);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            throw new ApiError(500, "server_error", "generation failed: " + why);
        }
    }

    private static void requireMethod(HttpExchange exchange, String method) {
        if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
            exchange.getResponseHeaders().add("Allow", method);
            throw new ApiError(405, "invalid_request_error", "method " + exchange.getRequestMethod()
                    + " not allowed on " + exchange.getRequestURI().getPath() + "; use " + method);
        }
    }

    private void checkAuth(HttpExchange exchange) {
        if (options.apiKey() == null) {
            return;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.equals("Bearer " + options.apiKey())) {
            throw new ApiError(401, "authentication_error", "missing or wrong API key (send Authorization: Bearer KEY)");
        }
    }

    /**
     * Reads at most {@code maxBodyBytes}; a larger body is refused with 413 after draining up to
     * {@link #MAX_DRAIN_FACTOR} times the limit, so that the answer still reaches an ordinary client.
     */
    private JsonNode readJson(HttpExchange exchange) throws IOException {
        byte[] body = readBounded(exchange, options.maxBodyBytes());
        if (body == null) {
            throw new ApiError(413, "invalid_request_error", "request body is larger than "
                    + options.maxBodyBytes() + " bytes");
        }
        try {
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.invalid("request body is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static byte[] readBounded(HttpExchange exchange, int limit) throws IOException {
        InputStream in = exchange.getRequestBody();
        byte[] head = in.readNBytes(limit + 1);
        if (head.length <= limit) {
            return head;
        }
        byte[] discard = new byte[64 * 1024];
        long left = (long) limit * MAX_DRAIN_FACTOR;
        int n = 0;
        while (left > 0 && (n = in.read(discard, 0, (int) Math.min(discard.length, left))) >= 0) {
            left -= n;
        }
        if (n >= 0) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
        return null;
    }

    private void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Blocks until {@link #close()} is called (e.g. from a shutdown hook); for a {@code serve} command. */
    public void awaitClose() throws InterruptedException {
        stopped.await();
    }

    /** Stops listening, fails queued requests and stops the threads; the backend is left open. Idempotent. */
    @Override
    public void close() {
        if (stopped.getCount() == 0) {
            return;
        }
        stopped.countDown();
        http.stop(0);
        dispatcher.close();
        handlers.shutdownNow();
        try {
            handlers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
