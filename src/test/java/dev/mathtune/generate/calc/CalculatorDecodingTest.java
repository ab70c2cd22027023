package dev.mathtune.generate.calc;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.engine.DType;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.EmbeddedGenerator;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TextGenerator;
import dev.mathtune.generate.openai.OpenAiServer;
import dev.mathtune.generate.openai.ServerOptions;
import dev.mathtune.testing.ChainCheckpoint;
import dev.mathtune.tokenizer.Tokenizer;

/**
 * The calculator end to end, on a checkpoint that writes {@code <<4*3=9>>.} for ever ({@link ChainCheckpoint}: each
 * token's successor is fixed): with the calculator, the wrong {@code 9} never comes, {@code 12>>} is forced after
 * each {@code <<4*3=}, and the model goes on from {@code >>} as it always does. Through the embedded engine, and
 * through {@code mathtune serve}'s server with the request field and the server-wide default.
 */
class CalculatorDecodingTest {
    static ModelBundle bundle;
    static Path bundleDir;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void checkpoint(@TempDir Path tmp) {
        Map<String, String> next = new LinkedHashMap<>();
        next.put("<<", "4");
        next.put("4", "*");
        next.put("*", "3");
        next.put("3", "=");
        next.put("=", "9");
        next.put("9", ">>");
        next.put(">>", ".");
        bundleDir = ChainCheckpoint.write(tmp.resolve("chain"), next, "<<");
        bundle = ModelBundle.load(bundleDir, DType.FP32);
    }

    @AfterAll
    static void release() {
        bundle.tokenizer().close();
    }

    private static Map<String, Completion> run(TextGenerator gen, GenerationRequest... requests) {
        Map<String, Completion> out = new ConcurrentHashMap<>();
        gen.generate(List.of(requests), c -> out.put(c.id(), c));
        return out;
    }

    @Test
    void theCalculatorReplacesTheModelsResultInTheEmbeddedEngine() {
        try (EmbeddedGenerator gen = bundle.generator(4, null)) {
            Tokenizer tok = gen.tokenizer();
            assertArrayEquals(tok.encode("12>>"), new int[]{tok.tokenId("1").orElseThrow(),
                    tok.tokenId("2").orElseThrow(), tok.tokenId(">>").orElseThrow()});
            SamplingParams p = SamplingParams.greedy(18);
            Map<String, Completion> out = run(gen, GenerationRequest.text("plain", "Q", p),
                    GenerationRequest.text("calc", "Q", p).withCalculator(true),
                    GenerationRequest.text("short", "Q", SamplingParams.greedy(6)).withCalculator(true),
                    GenerationRequest.text("stop", "Q", p.withStop(List.of(">>."))).withCalculator(true));
            assertEquals("<<4*3=9>>.<<4*3=9>>.<<4", out.get("plain").text());
            assertEquals(List.of(), out.get("plain").calculatorCalls());

            Completion calc = out.get("calc");
            assertEquals("<<4*3=12>>.<<4*3=12>>.", calc.text());
            assertEquals(List.of(new CalculatorCall("4*3", "12", 5, 6), new CalculatorCall("4*3", "12", 14, 17)),
                    calc.calculatorCalls());
            assertEquals(18, calc.completionTokens(), "forced tokens count toward max_tokens");
            // the completion's ids are the whole text's tokenization: no seam at '=' or '>>'
            assertEquals(Arrays.stream(tok.encode("<<4*3=12>>.<<4*3=12>>.")).boxed().toList(), calc.tokenIds());

            // the budget ends inside the forced tokens: "<<4*3=" + "1"
            assertEquals("<<4*3=1", out.get("short").text());
            // stop strings apply to the forced text too
            assertEquals("<<4*3=12", out.get("stop").text());
        }
    }

    @Test
    void theServerTakesTheRequestFieldAndTheServeDefault() throws Exception {
        try (EmbeddedGenerator gen = bundle.generator(4, null);
             OpenAiServer off = OpenAiServer.start(gen, "chain", ServerOptions.onPort(0));
             OpenAiServer on = OpenAiServer.start(gen, "chain", ServerOptions.onPort(0).withCalculator(true))) {
            JsonNode plain = post(off, "{\"prompt\": \"Q\", \"max_tokens\": 10, \"temperature\": 0}");
            assertEquals("<<4*3=9>>.<<4", plain.at("/choices/0/text").asText());
            assertTrue(plain.at("/choices/0/calculator_calls").isMissingNode());

            JsonNode asked = post(off, "{\"prompt\": \"Q\", \"max_tokens\": 10, \"temperature\": 0, \"calculator\": true}");
            assertEquals("<<4*3=12>>.<<", asked.at("/choices/0/text").asText());
            assertEquals("{\"expression\":\"4*3\",\"result\":\"12\",\"token\":5,\"offset\":6}",
                    asked.at("/choices/0/calculator_calls/0").toString());
            assertEquals(10, asked.at("/usage/completion_tokens").asInt());

            JsonNode byDefault = post(on, "{\"messages\": [{\"role\": \"user\", \"content\": \"Q\"}], \"max_tokens\": 10, \"temperature\": 0}");
            assertTrue(byDefault.at("/choices/0/message/content").asText().startsWith("<<4*3=12>>"), byDefault.toString());
            JsonNode optOut = post(on, "{\"prompt\": \"Q\", \"max_tokens\": 10, \"temperature\": 0, \"calculator\": false}");
            assertEquals("<<4*3=9>>.<<4", optOut.at("/choices/0/text").asText());

            HttpResponse<String> bad = HTTP.send(request(on, "{\"prompt\": \"Q\", \"calculator\": \"yes\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("field 'calculator' must be true or false"), bad.body());
        }
    }

    @Test
    void generateAndEvalCommands(@TempDir Path tmp) throws Exception {
        Path dir = bundleDir;
        java.io.PrintStream oldOut = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        int code;
        try {
            code = dev.mathtune.cli.Main.run("generate", "--model", dir.toString(), "--prompt", "Q",
                    "--max-new-tokens", "10", "--calculator", "--json");
        } finally {
            System.setOut(oldOut);
        }
        assertEquals(0, code);
        JsonNode row = JSON.readTree(buf.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
        assertEquals("<<4*3=12>>.<<", row.get("completion").asText());
        assertEquals("[{\"expression\":\"4*3\",\"result\":\"12\",\"token\":5,\"offset\":6}]",
                row.get("calculator_calls").toString());

        // eval: each prediction row records the calls; an endpoint backend refuses --calculator
        Path data = tmp.resolve("q.jsonl");
        java.nio.file.Files.writeString(data, "{\"question\": \"Q\", \"answer\": \"4*3 = <<4*3=12>>12\\n#### 12\"}\n");
        Path out = tmp.resolve("eval");
        assertEquals(0, dev.mathtune.cli.Main.run("eval", "--model", dir.toString(), "--data", data.toString(),
                "--prompt", "sft", "--max-new-tokens", "10", "--calculator", "--out", out.toString()));
        JsonNode pred = JSON.readTree(java.nio.file.Files.readString(out.resolve("predictions.jsonl")).strip());
        assertEquals("<<4*3=12>>.<<", pred.get("completion").asText());
        assertEquals("12", pred.at("/calculator_calls/0/result").asText());
        assertTrue(JSON.readTree(out.resolve("run.json").toFile()).get("calculator").asBoolean());
        assertEquals(2, dev.mathtune.cli.Main.run("eval", "--model", dir.toString(), "--data", data.toString(),
                "--prompt", "sft", "--max-new-tokens", "10", "--out", out.toString()), "resumed without the calculator");
        assertEquals(2, dev.mathtune.cli.Main.run("eval", "--endpoint", "http://127.0.0.1:9/v1", "--served-model", "x",
                "--data", data.toString(), "--calculator", "--out", tmp.resolve("e").toString()));
    }

    private static JsonNode post(OpenAiServer server, String body) throws Exception {
        HttpResponse<String> r = HTTP.send(request(server, body), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static HttpRequest request(OpenAiServer server, String body) {
        boolean chat = body.contains("\"messages\"");
        return HttpRequest.newBuilder(URI.create(server.url() + (chat ? "/chat/completions" : "/completions")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }
}
