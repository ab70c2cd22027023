package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class OpenAiClientRetryTest {
    private static final String OK = "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":[{\"index\":0,"
            + "\"text\":\"42\",\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3,"
            + "\"total_tokens\":10}}";
    private static final GenerationRequest REQUEST = GenerationRequest.text("q1", "What is 6*7?",
            new SamplingParams(64, 0.5, 0.95, 0, 99L, List.of("\n\n")));

    private static OpenAiClientOptions fast(String url) {
        return OpenAiClientOptions.of(url, "served").withRetryBaseDelay(Duration.ofMillis(5)).withMaxRetries(3);
    }

    private static List<Completion> run(OpenAiClientOptions options, GenerationRequest... requests) {
        List<Completion> out = new ArrayList<>();
        try (OpenAiClient client = new OpenAiClient(options)) {
            client.generate(List.of(requests), c -> {
                synchronized (out) {
                    out.add(c);
                }
            });
        }
        return out;
    }

    @Test
    void retriesTwo429sThenSucceedsAndParsesUsage() throws Exception {
        try (ScriptedServer stub = new ScriptedServer(n -> n < 2
                ? new ScriptedServer.Answer(429, "{\"error\":{\"message\":\"slow down\"}}", "0", 0)
                : ScriptedServer.Answer.json(200, OK))) {
            List<Completion> got = run(fast(stub.url()), REQUEST);
            assertEquals(3, stub.received.size());
            Completion c = got.get(0);
            assertEquals("q1", c.id());
            assertEquals("42", c.text());
            assertEquals(FinishReason.LENGTH, c.finishReason());
            assertEquals(7, c.promptTokens());
            assertEquals(3, c.completionTokens());
            assertEquals(List.of(), c.tokenIds());
            assertEquals("/v1/completions", stub.received.get(2).path());
        }
    }

    @Test
    void sendsTheOpenAiRequestFields() throws Exception {
        try (ScriptedServer stub = new ScriptedServer(n -> ScriptedServer.Answer.json(200, OK))) {
            run(fast(stub.url() + "/v1"), REQUEST);
            JsonNode body = new ObjectMapper().readTree(stub.received.get(0).body());
            assertEquals("served", body.get("model").asText());
            assertEquals("What is 6*7?", body.get("prompt").asText());
            assertEquals(64, body.get("max_tokens").asInt());
            assertEquals(0.5, body.get("temperature").asDouble());
            assertEquals(0.95, body.get("top_p").asDouble());
            assertFalse(body.has("top_k"), "top_k 0 (off) must be omitted");
            assertEquals(99, body.get("seed").asLong());
            assertEquals("\n\n", body.get("stop").get(0).asText());
            assertNull(stub.received.get(0).authorization());
        }
    }

    @Test
    void chatGoesToChatEndpointWithMessagesTopKAndBearerKey() throws Exception {
        String chatOk = "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"x = 2\"},"
                + "\"finish_reason\":\"stop\",\"token_ids\":[87,32,61]}]}";
        try (ScriptedServer stub = new ScriptedServer(n -> ScriptedServer.Answer.json(200, chatOk))) {
            GenerationRequest chat = GenerationRequest.chat("c", EchoGenerator.chat("x+1=3"),
                    new SamplingParams(32, 1.0, 1.0, 40, 5L, List.of()));
            Completion c = run(fast(stub.url()).withApiKey("sk-test"), chat).get(0);
            ScriptedServer.Received r = stub.received.get(0);
            assertEquals("/v1/chat/completions", r.path());
            assertEquals("Bearer sk-test", r.authorization());
            JsonNode body = new ObjectMapper().readTree(r.body());
            assertEquals("user", body.get("messages").get(1).get("role").asText());
            assertEquals("x+1=3", body.get("messages").get(1).get("content").asText());
            assertEquals(40, body.get("top_k").asInt());
            assertEquals("x = 2", c.text());
            assertEquals(List.of(87, 32, 61), c.tokenIds());
            assertEquals(3, c.completionTokens(), "falls back to the token id count without usage");
            assertEquals(FinishReason.STOP, c.finishReason());
        }
    }

    @Test
    void persistent500FailsClearlyAfterMaxRetries() throws Exception {
        try (ScriptedServer stub = new ScriptedServer(n ->
                ScriptedServer.Answer.json(500, "{\"object\":\"error\",\"message\":\"engine crashed\"}"))) {
            EndpointError e = assertThrows(EndpointError.class, () -> run(fast(stub.url()), REQUEST));
            assertEquals(4, stub.received.size(), "1 try + 3 retries");
            assertEquals(500, e.status());
            assertTrue(e.getMessage().contains(stub.url() + "/v1/completions"), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("engine crashed"), e.getMessage());
            assertTrue(e.getMessage().contains("after 4 attempts"), e.getMessage());
        }
    }

    @Test
    void a400IsNotRetriedAndNamesTheServersMessage() throws Exception {
        try (ScriptedServer stub = new ScriptedServer(n -> ScriptedServer.Answer.json(400,
                "{\"error\":{\"message\":\"max_tokens is too large\",\"type\":\"invalid_request_error\"}}"))) {
            EndpointError e = assertThrows(EndpointError.class, () -> run(fast(stub.url()), REQUEST));
            assertEquals(1, stub.received.size());
            assertEquals(400, e.status());
            assertEquals("POST " + stub.url() + "/v1/completions: HTTP 400: max_tokens is too large", e.getMessage());
        }
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String url = "http://127.0.0.1:" + port;
        EndpointError e = assertThrows(EndpointError.class, () -> run(fast(url).withMaxRetries(1), REQUEST));
        assertEquals(0, e.status());
        assertTrue(e.getMessage().contains("cannot reach server") && e.getMessage().contains("after 2 attempts"),
                e.getMessage());
    }

    @Test
    void slowAnswerTimesOutThenRetrySucceeds() throws Exception {
        try (ScriptedServer stub = new ScriptedServer(n -> n == 0
                ? new ScriptedServer.Answer(200, OK, null, 3_000)
                : ScriptedServer.Answer.json(200, OK))) {
            OpenAiClientOptions opts = fast(stub.url()).withRequestTimeout(Duration.ofMillis(300));
            assertEquals("42", run(opts, REQUEST).get(0).text());
            assertEquals(2, stub.received.size());
        }
    }

    @Test
    void malformedSuccessBodyIsAClearError() throws Exception {
        try (ScriptedServer stub = new ScriptedServer(n -> ScriptedServer.Answer.json(200, "{\"choices\":[]}"))) {
            EndpointError e = assertThrows(EndpointError.class, () -> run(fast(stub.url()), REQUEST));
            assertEquals(1, stub.received.size());
            assertTrue(e.getMessage().contains("no 'choices'"), e.getMessage());
        }
    }

    @Test
    void rateLimitSpacesRequestStarts() throws Exception {
        try (ScriptedServer stub = new ScriptedServer(n -> ScriptedServer.Answer.json(200, OK))) {
            List<GenerationRequest> five = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                five.add(GenerationRequest.text("r" + i, "p", SamplingParams.greedy(4)));
            }
            long start = System.nanoTime();
            List<Completion> got = run(fast(stub.url()).withRequestsPerSecond(20).withConcurrency(5),
                    five.toArray(GenerationRequest[]::new));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(5, got.size());
            assertTrue(seconds >= 0.19, "5 requests at 20/s need >= 0.2 s, took " + seconds);
        }
    }
}
