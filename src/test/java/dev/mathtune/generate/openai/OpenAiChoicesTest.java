package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.cli.Main;
import dev.mathtune.engine.DType;
import dev.mathtune.generate.Choices;
import dev.mathtune.generate.CompletionListener;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TokenLogprob;
import dev.mathtune.testing.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code n} choices, {@code seed} and log-probs through the server over the embedded engine (tiny checkpoint). */
@Timeout(180)
class OpenAiChoicesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PROMPT = "Sara has 5 pens and gives away 2. How many pens are left?\n";
    private static ModelBundle bundle;
    private static OpenAiServer server;

    @BeforeAll
    static void start() {
        bundle = ModelBundle.load(TinyModels.tiny(), DType.FP32);
        server = OpenAiServer.start(bundle.generator(8, null), "tiny", ServerOptions.onPort(0).withMaxBatch(8));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ObjectNode body(int n, double temperature, long seed, int maxTokens) {
        return MAPPER.createObjectNode().put("model", "tiny").put("prompt", PROMPT).put("n", n)
                .put("temperature", temperature).put("seed", seed).put("max_tokens", maxTokens);
    }

    private static JsonNode post(String path, ObjectNode body) throws Exception {
        return OpenAiStreamingTest.post(server, path, body.toString());
    }

    private static List<List<Integer>> tokenIds(JsonNode answer) {
        List<List<Integer>> out = new ArrayList<>();
        for (JsonNode c : answer.get("choices")) {
            out.add(MAPPER.convertValue(c.get("token_ids"), MAPPER.getTypeFactory().constructCollectionType(List.class, Integer.class)));
        }
        return out;
    }

    @Test
    void fourSampledChoicesAreReproducibleWithTheSameSeedAndNotWithAnother() throws Exception {
        JsonNode a = post("/completions", body(4, 0.8, 7, 24));
        JsonNode again = post("/completions", body(4, 0.8, 7, 24));
        JsonNode other = post("/completions", body(4, 0.8, 8, 24));
        assertEquals(4, a.get("choices").size());
        for (int i = 0; i < 4; i++) assertEquals(i, a.get("choices").get(i).get("index").asInt());
        assertEquals(a.get("choices"), again.get("choices"), "same seed, same four choices");
        assertNotEquals(tokenIds(a), tokenIds(other), "another seed, other choices");
        assertTrue(new HashSet<>(tokenIds(a)).size() > 1, "the four choices are not all the same: " + tokenIds(a));
        int prompt = bundle.tokenizer().encode(PROMPT).length;
        int generated = tokenIds(a).stream().mapToInt(List::size).sum();
        assertEquals(prompt, a.get("usage").get("prompt_tokens").asInt(), "the prompt counts once");
        assertEquals(generated, a.get("usage").get("completion_tokens").asInt());
        assertEquals(prompt + generated, a.get("usage").get("total_tokens").asInt());
        // choice 0 is what a one-choice request with the same seed samples
        JsonNode one = post("/completions", body(1, 0.8, 7, 24));
        assertEquals(tokenIds(a).get(0), tokenIds(one).get(0));
    }

    /** Collects each choice's token ids from the engine's listener. */
    private static final class Collect implements CompletionListener {
        final Map<Integer, int[]> ids = new ConcurrentHashMap<>();

        @Override
        public void delta(int choice, String text, List<TokenLogprob> tokens) {
        }

        @Override
        public void finished(int choice, FinishReason reason, int[] tokenIds) {
            ids.put(choice, tokenIds);
        }
    }

    @Test
    void aRequestsChoicesDoNotDependOnWhatIsBatchedWithIt() {
        SamplingParams sampled = new SamplingParams(20, 0.8, 1.0, 0, 7, List.of());
        Collect alone = new Collect();
        bundle.generator(8, null).generate(List.of(GenerationRequest.text("x", PROMPT, sampled)
                .withChoices(new Choices(4, -1, false, alone))), c -> { });
        Collect crowded = new Collect();
        List<GenerationRequest> batch = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            batch.add(GenerationRequest.text("o" + i, "Question " + i + ": 2+" + i + "=?\n", sampled.withSeed(100 + i))
                    .withChoices(new Choices(2, -1, false, new Collect())));
        }
        batch.add(1, GenerationRequest.text("x", PROMPT, sampled).withChoices(new Choices(4, -1, false, crowded)));
        bundle.generator(3, null).generate(batch, c -> { });
        assertEquals(4, alone.ids.size());
        for (int i = 0; i < 4; i++) assertArrayEquals(alone.ids.get(i), crowded.ids.get(i), "choice " + i);
    }

    /** {@code mathtune score --ids ... --json}, run in this JVM; the log-probs it prints. */
    private static double[] score(int[] ids) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            String csv = Arrays.stream(ids).mapToObj(Integer::toString).collect(Collectors.joining(","));
            assertEquals(0, Main.run("score", "--model", TinyModels.tiny().toString(), "--ids", csv, "--json"));
        } finally {
            System.setOut(old);
        }
        JsonNode out = MAPPER.readTree(buf.toString(StandardCharsets.UTF_8).strip());
        double[] lp = new double[ids.length];
        for (int i = 1; i < ids.length; i++) lp[i] = out.get("logprobs").get(i).asDouble();
        return lp;
    }

    @Test
    void completionLogprobsEqualMathtuneScoresLogprobs() throws Exception {
        JsonNode choice = post("/completions", body(1, 0.8, 3, 16).put("logprobs", 3)).get("choices").get(0);
        int[] prompt = bundle.tokenizer().encode(PROMPT);
        int[] completion = MAPPER.convertValue(choice.get("token_ids"), int[].class);
        int[] all = IntStream.concat(Arrays.stream(prompt), Arrays.stream(completion)).toArray();
        double[] scored = score(all);
        JsonNode lp = choice.get("logprobs");
        assertEquals(completion.length, lp.get("token_logprobs").size());
        double worst = 0;
        for (int i = 0; i < completion.length; i++) {
            double served = lp.get("token_logprobs").get(i).asDouble();
            worst = Math.max(worst, Math.abs(served - scored[prompt.length + i]));
            JsonNode top = lp.get("top_logprobs").get(i);
            assertTrue(top.size() >= 3 && top.size() <= 4, "3 alternatives and the chosen token: " + top);
            assertEquals(served, top.get(lp.get("tokens").get(i).asText()).asDouble(), 0.0);
        }
        assertTrue(worst <= 1e-4, "largest difference from mathtune score: " + worst);
        System.out.printf("served log-probs vs mathtune score: max |diff| %.2e over %d tokens%n", worst, completion.length);
        // offsets: from 0, each token's text further on
        JsonNode offsets = lp.get("text_offset");
        assertEquals(0, offsets.get(0).asInt());
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < completion.length; i++) {
            String token = lp.get("tokens").get(i).asText();
            if (!token.startsWith("bytes:")) {
                assertEquals(text.length(), offsets.get(i).asInt(), "offset of token " + i);
                text.append(token);
            } else {
                break;
            }
        }
    }

    @Test
    void theTopAlternativesComeFromTheSameDistributionMostLikelyFirst() throws Exception {
        JsonNode choice = post("/chat/completions", MAPPER.createObjectNode().put("model", "tiny")
                .put("temperature", 0).put("max_tokens", 10).put("logprobs", true).put("top_logprobs", 4)
                .set("messages", MAPPER.readTree("[{\"role\":\"user\",\"content\":\"2+2?\"}]"))).get("choices").get(0);
        JsonNode content = choice.get("logprobs").get("content");
        assertEquals(choice.get("token_ids").size(), content.size());
        for (JsonNode entry : content) {
            JsonNode top = entry.get("top_logprobs");
            assertEquals(4, top.size());
            // greedy: the chosen token is the most likely one
            assertEquals(entry.get("token").asText(), top.get(0).get("token").asText());
            assertEquals(entry.get("logprob").asDouble(), top.get(0).get("logprob").asDouble(), 0.0);
            for (int k = 1; k < 4; k++) {
                assertTrue(top.get(k).get("logprob").asDouble() <= top.get(k - 1).get("logprob").asDouble());
            }
            byte[] bytes = toBytes(entry.get("bytes"));
            if (!entry.get("token").asText().startsWith("bytes:")) {
                assertEquals(entry.get("token").asText(), new String(bytes, StandardCharsets.UTF_8));
            }
        }
        JsonNode text = post("/chat/completions", MAPPER.createObjectNode().put("model", "tiny")
                .put("temperature", 0).put("max_tokens", 10)
                .set("messages", MAPPER.readTree("[{\"role\":\"user\",\"content\":\"2+2?\"}]"))).get("choices").get(0);
        assertTrue(text.get("logprobs").isNull(), "no log-probs unless asked for");
        assertEquals(choice.get("message"), text.get("message"));
    }

    private static byte[] toBytes(JsonNode array) {
        byte[] out = new byte[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = (byte) array.get(i).asInt();
        return out;
    }

    @Test
    void streamedChunksCarryTheirTokensLogprobsAndNChoicesStreamTogether() throws Exception {
        ObjectNode req = body(3, 0.8, 11, 20).put("logprobs", 1);
        JsonNode whole = post("/completions", req);
        SseRecorder r = SseRecorder.open(server.url() + "/completions", req.put("stream", true).toString()).await(60);
        List<StringBuilder> texts = new ArrayList<>();
        List<List<String>> tokens = new ArrayList<>();
        List<List<Integer>> offsets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            texts.add(new StringBuilder());
            tokens.add(new ArrayList<>());
            offsets.add(new ArrayList<>());
        }
        String[] finish = new String[3];
        for (JsonNode chunk : r.chunks) {
            for (JsonNode c : chunk.get("choices")) {
                int i = c.get("index").asInt();
                texts.get(i).append(c.get("text").asText());
                if (!c.get("logprobs").isNull()) {
                    c.get("logprobs").get("tokens").forEach(t -> tokens.get(i).add(t.asText()));
                    c.get("logprobs").get("text_offset").forEach(t -> offsets.get(i).add(t.asInt()));
                }
                if (!c.get("finish_reason").isNull()) finish[i] = c.get("finish_reason").asText();
            }
        }
        for (int i = 0; i < 3; i++) {
            JsonNode c = whole.get("choices").get(i);
            assertEquals(c.get("text").asText(), texts.get(i).toString(), "choice " + i);
            assertEquals(c.get("finish_reason").asText(), finish[i]);
            assertEquals(MAPPER.convertValue(c.get("logprobs").get("tokens"), List.class), tokens.get(i));
            assertEquals(MAPPER.convertValue(c.get("logprobs").get("text_offset"), List.class), offsets.get(i));
        }
    }
}
