package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.engine.DType;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.TextGenerator;
import dev.mathtune.testing.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Streaming from {@code mathtune serve}'s server over the embedded engine (the tiny checkpoint), read with OkHttp's
 * server-sent-events parser: text arrives in many deltas that add up to the non-streamed answer, a stop string is
 * never sent, every choice ends with its finish reason, usage comes last; a client that hangs up frees its slot.
 */
@Timeout(120)
class OpenAiStreamingTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROMPT = "Tom has 3 apples and buys 4 more. How many apples does he have?\n";
    private static ModelBundle bundle;
    private static OpenAiServer server;

    @BeforeAll
    static void start() {
        bundle = ModelBundle.load(TinyModels.tiny(), DType.FP32);
        server = OpenAiServer.start(bundle.generator(4, null), "tiny",
                ServerOptions.onPort(0).withMaxBatch(4).withMaxTokens(2000, 64));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static JsonNode post(OpenAiServer s, String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(s.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return MAPPER.readTree(r.body());
    }

    private static String completionBody(int maxTokens, String stop, boolean stream) {
        ObjectNode body = MAPPER.createObjectNode().put("model", "tiny").put("prompt", PROMPT)
                .put("max_tokens", maxTokens).put("temperature", 0).put("stream", stream);
        if (stop != null) body.put("stop", stop);
        return body.toString();
    }

    /** The text pieces of a completions stream, in order, and the finish reason of its one choice. */
    private record Streamed(List<String> deltas, String finish, JsonNode last) {
        String text() {
            return String.join("", deltas);
        }
    }

    private static Streamed read(SseRecorder r, boolean chat) {
        List<String> deltas = new ArrayList<>();
        String finish = null;
        JsonNode last = null;
        for (JsonNode chunk : r.chunks) {
            last = chunk;
            for (JsonNode choice : chunk.get("choices")) {
                String piece = chat ? choice.path("delta").path("content").asText("") : choice.get("text").asText();
                if (!piece.isEmpty()) deltas.add(piece);
                if (!choice.get("finish_reason").isNull()) {
                    assertEquals(null, finish, "one finish chunk per choice");
                    finish = choice.get("finish_reason").asText();
                }
            }
        }
        return new Streamed(deltas, finish, last);
    }

    @Test
    void aTwelveTokenAnswerArrivesInManyDeltasThatAddUpToTheAnswer() throws Exception {
        JsonNode whole = post(server, "/completions", completionBody(12, null, false)).get("choices").get(0);
        assertEquals(12, whole.get("token_ids").size(), "the tiny model writes 12 tokens before any EOS");
        SseRecorder r = SseRecorder.open(server.url() + "/completions", completionBody(12, null, true)).await(60);
        assertEquals(200, r.status());
        assertEquals("[DONE]", r.data.get(r.data.size() - 1));
        Streamed s = read(r, false);
        assertTrue(s.deltas().size() >= 3, "deltas " + s.deltas());
        assertEquals(whole.get("text").asText(), s.text());
        assertEquals("length", s.finish());
        s.deltas().forEach(d -> assertFalse(d.contains("\uFFFD"), "a delta split a character: " + s.deltas()));
    }

    @Test
    void aStopStringIsNeverSentAndTheStreamEndsWithFinishReasonStop() throws Exception {
        JsonNode whole = post(server, "/completions", completionBody(60, null, false)).get("choices").get(0);
        String text = whole.get("text").asText();
        int[] ids = MAPPER.convertValue(whole.get("token_ids"), int[].class);
        // a stop string of 3 characters whose first appearance comes after the first 12 tokens' text
        int from = bundle.tokenizer().decode(java.util.Arrays.copyOf(ids, 12), false).length();
        String stop = null;
        for (int k = from; k + 3 <= text.length() && stop == null; k++) {
            String candidate = text.substring(k, k + 3);
            if (text.indexOf(candidate) == k && !candidate.isBlank()) stop = candidate;
        }
        assertNotNull(stop, "no stop string to pick in '" + text + "'");
        String expected = text.substring(0, text.indexOf(stop));

        SseRecorder r = SseRecorder.open(server.url() + "/completions", completionBody(60, stop, true)).await(60);
        Streamed s = read(r, false);
        assertEquals(expected, s.text(), "stop string " + MAPPER.writeValueAsString(stop));
        assertFalse(s.text().contains(stop));
        assertTrue(s.deltas().size() >= 3, "deltas " + s.deltas());
        assertEquals("stop", s.finish());
        JsonNode plain = post(server, "/completions", completionBody(60, stop, false)).get("choices").get(0);
        assertEquals(expected, plain.get("text").asText(), "the same text without streaming");
    }

    @Test
    void chatStreamsRoleThenDeltasThenFinishThenUsage() throws Exception {
        String body = "{\"model\":\"tiny\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 3+4?\"}],"
                + "\"max_tokens\":16,\"temperature\":0,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        SseRecorder r = SseRecorder.open(server.url() + "/chat/completions", body).await(60);
        List<JsonNode> chunks = new ArrayList<>(r.chunks);
        assertEquals("assistant", chunks.get(0).get("choices").get(0).get("delta").get("role").asText());
        chunks.forEach(c -> assertEquals("chat.completion.chunk", c.get("object").asText()));
        Streamed s = read(r, true);
        assertTrue(s.deltas().size() >= 3, "deltas " + s.deltas());
        JsonNode usage = s.last();
        assertEquals(0, usage.get("choices").size(), "the usage chunk has no choices");
        JsonNode whole = post(server, "/chat/completions", body.replace("\"stream\":true", "\"stream\":false"));
        JsonNode choice = whole.get("choices").get(0);
        assertEquals(choice.get("message").get("content").asText(), s.text());
        assertEquals(choice.get("finish_reason").asText(), s.finish());
        assertEquals(whole.get("usage"), usage.get("usage"));
        assertEquals(choice.get("token_ids").size(), usage.get("usage").get("completion_tokens").asInt());
    }

    /** A backend that records every completion it hands out, the cancelled ones included. */
    private record Recording(TextGenerator inner, List<Completion> seen) implements TextGenerator {
        @Override
        public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
            inner.generate(requests, c -> {
                seen.add(c);
                sink.accept(c);
            });
        }

        @Override
        public boolean reportsChoices() {
            return inner.reportsChoices();
        }

        @Override
        public String describe() {
            return inner.describe();
        }
    }

    @Test
    void aClientThatHangsUpFreesItsSlotForTheNextRequest() throws Exception {
        List<Completion> seen = new CopyOnWriteArrayList<>();
        Recording backend = new Recording(bundle.generator(1, null), seen);
        try (OpenAiServer one = OpenAiServer.start(backend, "tiny",
                ServerOptions.onPort(0).withMaxBatch(1).withMaxTokens(2000, 64))) {
            String longBody = completionBody(1900, null, true);
            SseRecorder a = SseRecorder.open(one.url() + "/completions", longBody);
            for (int i = 0; i < 3; i++) assertNotNull(a.chunks.poll(60, TimeUnit.SECONDS), "delta " + i);
            a.cancel();
            long t0 = System.nanoTime();
            JsonNode b = post(one, "/completions", completionBody(8, null, false));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(8, b.get("choices").get(0).get("token_ids").size());
            assertEquals(2, seen.size(), "the cancelled request and the next one");
            Completion aborted = seen.get(0);
            assertEquals(FinishReason.ABORT, aborted.finishReason());
            assertTrue(aborted.completionTokens() < 1900 / 4,
                    "the cancelled stream was dropped after " + aborted.completionTokens() + " of 1900 tokens");
            System.out.printf("cancelled stream dropped after %d of 1900 tokens; next request answered in %.2f s%n",
                    aborted.completionTokens(), seconds);
        }
    }
}
