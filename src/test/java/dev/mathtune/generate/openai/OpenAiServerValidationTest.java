package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class OpenAiServerValidationTest {
    private static OpenAiServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @BeforeAll
    static void start() {
        server = OpenAiServer.start(new EchoGenerator(0), "m",
                ServerOptions.onPort(0).withMaxBodyBytes(4096).withMaxTokens(100, 16));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRejected(int status, String messagePart, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode error = MAPPER.readTree(response.body()).get("error");
        assertTrue(error.get("message").asText().contains(messagePart), error.toString());
        assertEquals(status == 401 ? "authentication_error" : "invalid_request_error", error.get("type").asText());
    }

    private static void assertStillServing() throws Exception {
        HttpResponse<String> ok = post("/completions", "{\"model\":\"m\",\"prompt\":\"hi\",\"max_tokens\":50}");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("echo0:hi", MAPPER.readTree(ok.body()).get("choices").get(0).get("text").asText());
    }

    @Test
    void malformedRequestsGet4xxAndTheServerKeepsServing() throws Exception {
        Map<String, String> bad = Map.ofEntries(
                Map.entry("{\"prompt\": \"unterminated", "not valid JSON"),
                Map.entry("[1,2,3]", "must be a JSON object"),
                Map.entry("{\"prompt\":\"a\"} trailing", "not valid JSON"),
                Map.entry("{\"model\":\"m\"}", "'prompt' is required"),
                Map.entry("{\"prompt\":42}", "'prompt' must be a string"),
                Map.entry("{\"prompt\":\"a\",\"temperature\":\"hot\"}", "'temperature' must be a number"),
                Map.entry("{\"prompt\":\"a\",\"temperature\":-1}", "'temperature' must be >= 0"),
                Map.entry("{\"prompt\":\"a\",\"top_p\":0}", "'top_p' must be in (0, 1]"),
                Map.entry("{\"prompt\":\"a\",\"max_tokens\":1.5}", "'max_tokens' must be an integer"),
                Map.entry("{\"prompt\":\"a\",\"max_tokens\":101}", "'max_tokens' must be between 0 and 100"),
                Map.entry("{\"prompt\":\"a\",\"max_tokens\":99999999999}", "'max_tokens' must be between"),
                Map.entry("{\"prompt\":\"a\",\"n\":2}", "'n' must be 1"),
                Map.entry("{\"prompt\":\"a\",\"n\":17}", "'n' must be between 1 and 16"),
                Map.entry("{\"prompt\":\"a\",\"n\":0}", "'n' must be between 1 and 16"),
                Map.entry("{\"prompt\":\"a\",\"logprobs\":6}", "'logprobs' must be between 0 and 5"),
                Map.entry("{\"prompt\":\"a\",\"logprobs\":2}", "'logprobs' is not supported by this server's backend"),
                Map.entry("{\"prompt\":\"a\",\"stop\":[1]}", "'stop' must be a string"),
                Map.entry("{\"prompt\":\"a\",\"stream\":\"yes\"}", "'stream' must be true or false"),
                Map.entry("{\"prompt\":\"a\",\"seed\":\"x\"}", "'seed' must be an integer"));
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertRejected(400, e.getValue(), post("/completions", e.getKey()));
        }
        assertStillServing();
    }

    @Test
    void malformedChatRequestsGet400() throws Exception {
        Map<String, String> bad = Map.of(
                "{\"prompt\":\"a\"}", "'messages' is required",
                "{\"messages\":[]}", "'messages' must be a non-empty array",
                "{\"messages\":[\"hi\"]}", "'messages[0]' must be an object",
                "{\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}", "'messages[0].role' must be one of",
                "{\"messages\":[{\"role\":\"user\"}]}", "'messages[0].content' must be a string",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"max_completion_tokens\":500}",
                "'max_completion_tokens' must be between",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"logprobs\":true,\"top_logprobs\":21}",
                "'top_logprobs' must be between 0 and 20",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"top_logprobs\":2}",
                "'top_logprobs' needs 'logprobs': true");
        for (Map.Entry<String, String> e : bad.entrySet()) {
            assertRejected(400, e.getValue(), post("/chat/completions", e.getKey()));
        }
        HttpResponse<String> parts = post("/chat/completions",
                "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},"
                        + "{\"type\":\"text\",\"text\":\"b\"}]}],\"max_tokens\":50}");
        assertEquals("echo0:user=ab",
                MAPPER.readTree(parts.body()).get("choices").get(0).get("message").get("content").asText());
    }

    @Test
    void oversizedBodyGets413() throws Exception {
        String huge = "{\"prompt\":\"" + "x".repeat(20_000) + "\"}";
        assertRejected(413, "larger than 4096 bytes", post("/completions", huge));
        assertStillServing();
    }

    @Test
    void wrongMethodPathOrModelGetTheirStatus() throws Exception {
        HttpResponse<String> get = HTTP.send(HttpRequest.newBuilder(URI.create(server.url() + "/completions"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertRejected(405, "use POST", get);
        assertRejected(404, "no such endpoint", post("/embeddings", "{}"));
        assertRejected(404, "does not exist", post("/completions", "{\"model\":\"gpt-4\",\"prompt\":\"a\"}"));
        assertStillServing();
    }

    @Test
    void answerCarriesUsageFinishReasonAndTokenIds() throws Exception {
        JsonNode body = MAPPER.readTree(post("/completions", "{\"prompt\":\"abcdef\"}").body());
        JsonNode choice = body.get("choices").get(0);
        assertEquals("text_completion", body.get("object").asText());
        assertEquals("echo0:abcdef", choice.get("text").asText());
        assertEquals("stop", choice.get("finish_reason").asText());
        assertEquals(12, choice.get("token_ids").size());
        assertEquals((int) 'e', choice.get("token_ids").get(0).asInt());
        assertEquals(6, body.get("usage").get("prompt_tokens").asInt());
        assertEquals(12, body.get("usage").get("completion_tokens").asInt());
        assertEquals(18, body.get("usage").get("total_tokens").asInt());
        JsonNode cut = MAPPER.readTree(post("/completions", "{\"prompt\":\"a long prompt here\"}").body());
        assertEquals("length", cut.get("choices").get(0).get("finish_reason").asText());
        assertEquals(16, cut.get("choices").get(0).get("text").asText().length(), "server default max_tokens 16");
    }
}
