package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class OpenAiRoundTripTest {
    private static final SamplingParams SAMPLED = new SamplingParams(100, 0.7, 0.9, 20, 1234L, List.of());

    private static Completion untimed(Completion c) {
        return new Completion(c.id(), c.text(), c.tokenIds(), c.finishReason(), c.promptTokens(),
                c.completionTokens(), 0.0);
    }

    private static Map<String, Completion> run(OpenAiClient client, List<GenerationRequest> requests) {
        Map<String, Completion> out = new ConcurrentHashMap<>();
        client.generate(requests, c -> out.put(c.id(), untimed(c)));
        return out;
    }

    @Test
    void textAndChatRequestsComeBackExactlyAsTheBackendMadeThem() {
        List<GenerationRequest> requests = List.of(
                GenerationRequest.text("t1", "What is 2+2?", SAMPLED),
                GenerationRequest.text("t2", "A long prompt that will be cut", SamplingParams.greedy(10)),
                GenerationRequest.text("t3", "Stop here. Not this", SamplingParams.greedy(100).withStop(List.of("."))),
                GenerationRequest.chat("c1", EchoGenerator.chat("Solve x+1=3"), SAMPLED),
                GenerationRequest.chat("c2", EchoGenerator.chat("unicode: π ≈ 3.14 ✓"), SamplingParams.greedy(100)));
        EchoGenerator backend = new EchoGenerator(0);
        try (OpenAiServer server = OpenAiServer.start(backend, "qwen-test", ServerOptions.onPort(0));
             OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(server.url(), "qwen-test"))) {
            Map<String, Completion> got = run(client, requests);
            assertEquals(requests.size(), got.size());
            for (GenerationRequest r : requests) {
                assertEquals(EchoGenerator.complete(r), got.get(r.id()), r.id());
            }
            assertEquals(FinishReason.LENGTH, got.get("t2").finishReason());
            assertEquals("echo0:Stop here", got.get("t3").text());
            assertEquals("echo1234:system=be brief|user=Solve x+1=3", got.get("c1").text());
        }
    }

    @Test
    void concurrentRequestsReachTheBackendInFewerBatches() {
        EchoGenerator backend = new EchoGenerator(300);
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            requests.add(GenerationRequest.text("r" + i, "question " + i, SamplingParams.greedy(50)));
        }
        try (OpenAiServer server = OpenAiServer.start(backend, "m", ServerOptions.onPort(0));
             OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(server.url(), "m").withConcurrency(20))) {
            Map<String, Completion> got = run(client, requests);
            assertEquals(20, got.size());
            requests.forEach(r -> assertEquals(EchoGenerator.complete(r), got.get(r.id())));
        }
        List<Integer> sizes = List.copyOf(backend.batchSizes);
        assertEquals(20, sizes.stream().mapToInt(Integer::intValue).sum());
        assertTrue(sizes.size() < 20, "expected batching, got batches " + sizes);
        assertTrue(sizes.stream().anyMatch(s -> s > 1), "expected a batch of several, got " + sizes);
    }

    @Test
    void maxBatchBoundsEachGenerateCall() {
        EchoGenerator backend = new EchoGenerator(200);
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            requests.add(GenerationRequest.text("r" + i, "q" + i, SamplingParams.greedy(20)));
        }
        try (OpenAiServer server = OpenAiServer.start(backend, "m", ServerOptions.onPort(0).withMaxBatch(3));
             OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(server.url(), "m").withConcurrency(12))) {
            assertEquals(12, run(client, requests).size());
        }
        assertTrue(backend.batchSizes.stream().allMatch(s -> s <= 3), "batches " + backend.batchSizes);
    }

    @Test
    void streamingAnswersWithServerSentEvents() throws Exception {
        try (OpenAiServer server = OpenAiServer.start(new EchoGenerator(0), "m", ServerOptions.onPort(0))) {
            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":50,"
                    + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
            List<String> events = response.body().lines().filter(l -> l.startsWith("data: "))
                    .map(l -> l.substring(6)).toList();
            assertEquals("[DONE]", events.get(events.size() - 1));
            ObjectMapper mapper = new ObjectMapper();
            StringBuilder text = new StringBuilder();
            String finish = null;
            JsonNode usage = null;
            for (String e : events.subList(0, events.size() - 1)) {
                JsonNode chunk = mapper.readTree(e);
                assertEquals("chat.completion.chunk", chunk.get("object").asText());
                for (JsonNode choice : chunk.get("choices")) {
                    text.append(choice.path("delta").path("content").asText(""));
                    if (!choice.path("finish_reason").isNull()) {
                        finish = choice.get("finish_reason").asText();
                    }
                }
                if (chunk.has("usage")) {
                    usage = chunk.get("usage");
                }
            }
            assertEquals("echo0:user=hi", text.toString());
            assertEquals("stop", finish);
            assertEquals(13, usage.get("completion_tokens").asInt());
        }
    }

    @Test
    void modelsEndpointListsTheServedModel() throws Exception {
        try (OpenAiServer server = OpenAiServer.start(new EchoGenerator(0), "qwen-0.5b", ServerOptions.onPort(0))) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(server.url() + "/models")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertEquals("qwen-0.5b", body.get("data").get(0).get("id").asText());
        }
    }

    @Test
    void serverApiKeyIsEnforcedAndClientSendsIt() {
        List<GenerationRequest> one = List.of(GenerationRequest.text("a", "x", SamplingParams.greedy(20)));
        try (OpenAiServer server = OpenAiServer.start(new EchoGenerator(0), "m",
                ServerOptions.onPort(0).withApiKey("s3cret"))) {
            OpenAiClientOptions opts = OpenAiClientOptions.of(server.url(), "m").withMaxRetries(0);
            try (OpenAiClient anonymous = new OpenAiClient(opts)) {
                EndpointError e = assertThrows(EndpointError.class, () -> run(anonymous, one));
                assertEquals(401, e.status());
                assertTrue(e.getMessage().contains("API key"), e.getMessage());
            }
            try (OpenAiClient keyed = new OpenAiClient(opts.withApiKeyFromEnv("MY_KEY", Map.of("MY_KEY", "s3cret")))) {
                assertEquals("echo0:x", run(keyed, one).get("a").text());
            }
        }
    }

    @Test
    void wrongModelNameIsA404NamingTheServedModel() {
        try (OpenAiServer server = OpenAiServer.start(new EchoGenerator(0), "right", ServerOptions.onPort(0));
             OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(server.url(), "wrong"))) {
            EndpointError e = assertThrows(EndpointError.class, () ->
                    run(client, List.of(GenerationRequest.text("a", "x", SamplingParams.greedy(5)))));
            assertEquals(404, e.status());
            assertFalse(e.retryable());
            assertTrue(e.getMessage().contains("'right'") && e.getMessage().contains("/v1/completions"),
                    e.getMessage());
        }
    }

    @Test
    void backendFailureIsA500AndTheServerKeepsServing() {
        EchoGenerator good = new EchoGenerator(0);
        dev.mathtune.generate.TextGenerator flaky = new dev.mathtune.generate.TextGenerator() {
            private int calls;

            @Override
            public void generate(List<GenerationRequest> requests, java.util.function.Consumer<Completion> sink) {
                if (calls++ == 0) {
                    throw new IllegalStateException("out of memory");
                }
                good.generate(requests, sink);
            }

            @Override
            public String describe() {
                return "flaky";
            }
        };
        List<GenerationRequest> one = List.of(GenerationRequest.text("a", "x", SamplingParams.greedy(20)));
        try (OpenAiServer server = OpenAiServer.start(flaky, "m", ServerOptions.onPort(0));
             OpenAiClient noRetry = new OpenAiClient(OpenAiClientOptions.of(server.url(), "m").withMaxRetries(0))) {
            EndpointError e = assertThrows(EndpointError.class, () -> run(noRetry, one));
            assertEquals(500, e.status());
            assertTrue(e.getMessage().contains("out of memory"), e.getMessage());
            assertEquals("echo0:x", run(noRetry, one).get("a").text());
        }
    }

    @Test
    void clientAcceptsBaseUrlWithOrWithoutV1() {
        List<GenerationRequest> one = List.of(GenerationRequest.text("a", "x", SamplingParams.greedy(20)));
        try (OpenAiServer server = OpenAiServer.start(new EchoGenerator(0), "m", ServerOptions.onPort(0))) {
            String root = "http://127.0.0.1:" + server.port();
            for (String url : List.of(root, root + "/", root + "/v1", root + "/v1/")) {
                try (OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(url, "m")
                        .withRequestTimeout(Duration.ofSeconds(10)))) {
                    assertEquals("echo0:x", run(client, one).get("a").text(), url);
                }
            }
        }
    }

    @Test
    void closeReleasesAwaitCloseAndFreesThePort() throws Exception {
        OpenAiServer server = OpenAiServer.start(new EchoGenerator(0), "m", ServerOptions.onPort(0));
        int port = server.port();
        assertTrue(port > 0);
        Thread closer = new Thread(() -> {
            sleepQuietly(100);
            server.close();
        });
        closer.start();
        server.awaitClose();
        closer.join();
        server.close();
        try (OpenAiServer again = OpenAiServer.start(new EchoGenerator(0), "m", ServerOptions.onPort(port))) {
            assertEquals(port, again.port());
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
