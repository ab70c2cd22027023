package dev.mathtune.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every published protocol renders GSM8K test and MATH500 items byte for byte as the upstream code does: the
 * golden prompts in {@code src/test/resources/protocols/golden_prompts.jsonl} were built by running Qwen2.5-Math's
 * construct_prompt and lm-evaluation-harness's samplers and Message rendering (README.md there).
 */
class ProtocolGoldenTest {
    static final Path DATA = DatasetLoaderTest.DATA;

    static List<JsonNode> goldens() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (InputStream in = ProtocolGoldenTest.class.getResourceAsStream("/protocols/golden_prompts.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) out.add(new ObjectMapper().readTree(line));
            }
        }
        return out;
    }

    static EvalSpec spec(String protocol, String dataset, int shots) {
        Path file = DATA.resolve(dataset + "/test.jsonl");
        return new EvalSpec(DatasetSpec.of(file), protocol, shots, EvalSpec.DEFAULT_SHOT_SEED,
                PromptRegistry.defaultTrainFile(protocol, DATA), 1, null, Path.of("unused"), EvalSpec.DEFAULT_CHUNK);
    }

    @Test
    void everyProtocolMatchesTheUpstreamPromptsByteForByte() throws IOException {
        Set<String> covered = new HashSet<>();
        List<JsonNode> goldens = goldens();
        for (JsonNode g : goldens) {
            String protocol = g.get("protocol").asText();
            String dataset = g.get("dataset").asText();
            int shots = g.get("shots").asInt();
            int index = g.get("index").asInt();
            EvalSpec spec = spec(protocol, dataset, shots);
            EvalDataset data = DatasetLoader.load(spec.dataset());
            PromptTemplate template = EvalRunner.template(spec, data);
            assertEquals(g.get("prompt").asText(), template.render(index, data.items().get(index).question()),
                    protocol + " " + shots + "-shot, " + dataset + " item " + index);
            covered.add(protocol + "/" + dataset);
        }
        assertEquals(Set.of("qwen25-math-cot/gsm8k", "qwen25-math-cot/math500", "qwen-cot/gsm8k", "qwen-cot/math500",
                "lm-eval-gsm8k/gsm8k", "lm-eval-gsm8k-cot/gsm8k", "lm-eval-minerva-math/math500"), covered);
        assertEquals(45, goldens.size());
    }

    @Test
    void defaultShotsAndBudgetsAreUpstreams() {
        record Expect(String protocol, String dataset, int shots, int budget, List<String> stop) {
        }
        List<String> qwen = List.of("</s>", "<|im_end|>", "<|endoftext|>");
        List<String> qwenCot = List.of("</s>", "<|im_end|>", "<|endoftext|>", "\n\nQuestion:");
        for (Expect e : List.of(new Expect("qwen25-math-cot", "gsm8k", 0, 2048, qwen),
                new Expect("qwen-cot", "gsm8k", 8, 2048, qwenCot), new Expect("qwen-cot", "math500", 4, 2048, qwenCot),
                new Expect("lm-eval-gsm8k", "gsm8k", 5, 256, List.of("Question:", "</s>", "<|im_end|>")),
                new Expect("lm-eval-gsm8k-cot", "gsm8k", 8, 256, List.of("Q:", "</s>", "<|im_end|>")),
                new Expect("lm-eval-minerva-math", "math500", 4, 256, List.of("Problem:")))) {
            EvalSpec spec = spec(e.protocol(), e.dataset(), -1);
            EvalDataset data = DatasetLoader.load(spec.dataset());
            PromptTemplate t = EvalRunner.template(spec, data);
            assertEquals(e.shots(), t.protocol().shots(), e.protocol());
            assertEquals(e.budget(), spec.resolvedSampling(data.kind(), t.maxNewTokens()).maxNewTokens(), e.protocol());
            assertEquals(e.stop(), t.stop(), e.protocol());
            assertTrue(t.protocol().source().contains("@"), "names the upstream commit: " + t.protocol().source());
        }
    }

    @Test
    void predictionsLogTheExactPromptAndRunJsonTheProtocol(@TempDir Path out) throws IOException {
        EvalSpec base = spec("lm-eval-gsm8k", "gsm8k", -1);
        EvalSpec spec = new EvalSpec(base.dataset().withLimit(3), base.prompt(), -1, base.shotSeed(), base.trainFile(),
                1, null, out, EvalSpec.DEFAULT_CHUNK);
        FakeGenerator generator = new FakeGenerator(r -> "The answer is 0.", -1);
        new EvalRunner(generator, new LastNumberGrader(), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), 0)
                .run(spec);
        Map<Integer, String> prompts = new HashMap<>();
        for (String line : Files.readAllLines(out.resolve(EvalRunner.PREDICTIONS))) {
            JsonNode row = new ObjectMapper().readTree(line);
            String id = row.get("id").asText(); // gsm8k-test-0042
            prompts.put(Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)), row.get("prompt").asText());
        }
        Map<Integer, String> expected = new HashMap<>();
        for (JsonNode g : goldens()) {
            if (g.get("protocol").asText().equals("lm-eval-gsm8k") && g.get("index").asInt() < 3) {
                expected.put(g.get("index").asInt(), g.get("prompt").asText());
            }
        }
        assertEquals(expected, prompts);
        for (var r : generator.seen) {
            assertEquals(256, r.params().maxNewTokens());
            assertEquals(List.of("Question:", "</s>", "<|im_end|>"), r.params().stop());
        }
        JsonNode definition = new ObjectMapper().readTree(out.resolve(EvalRunner.RUN).toFile()).get("prompt_definition");
        assertEquals(5, definition.get("shots").asInt());
        assertEquals(256, definition.get("max_new_tokens").asInt());
        assertTrue(definition.get("prefix_per_item").asBoolean());
        assertEquals("Question: {question}\nAnswer:", definition.get("question_format").asText());
        assertEquals("[\"Question:\",\"</s>\",\"<|im_end|>\"]", definition.get("stop").toString());
        assertTrue(definition.get("source").asText().contains(PublishedProtocols.LM_EVAL));
    }

    @Test
    void aGsm8kProtocolRefusesMathDataNamingTheOne() {
        UserError e = assertThrows(UserError.class, () -> EvalRunner.template(spec("lm-eval-gsm8k", "math500", -1),
                DatasetLoader.load(DatasetSpec.of(DATA.resolve("math500/test.jsonl")))));
        assertTrue(e.getMessage().contains("lm-eval-minerva-math"), e.getMessage());
        e = assertThrows(UserError.class, () -> EvalRunner.template(spec("lm-eval-minerva-math", "gsm8k", -1),
                DatasetLoader.load(DatasetSpec.of(DATA.resolve("gsm8k/test.jsonl")))));
        assertTrue(e.getMessage().contains("lm-eval-gsm8k"), e.getMessage());
    }
}
