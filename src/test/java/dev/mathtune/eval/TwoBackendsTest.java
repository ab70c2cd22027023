package dev.mathtune.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.engine.DType;
import dev.mathtune.eval.grade.MathAnswerGrader;
import dev.mathtune.generate.EmbeddedGenerator;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.openai.OpenAiClient;
import dev.mathtune.generate.openai.OpenAiClientOptions;
import dev.mathtune.generate.openai.OpenAiServer;
import dev.mathtune.generate.openai.ServerOptions;
import dev.mathtune.testing.Golden;
import dev.mathtune.testing.TinyModels;

/**
 * The first 50 GSM8K test problems evaluated through the embedded engine and through {@code mathtune serve}'s
 * server (started on a free loopback port) give identical predictions.
 */
class TwoBackendsTest {

    @Test
    void embeddedAndServedPredictionsAreIdentical(@TempDir Path tmp) throws Exception {
        // make_tiny's checkpoint (logits spread out, so greedy choices are clear) with the tiny tokenizer (vocab 512)
        Path model = tmp.resolve("model");
        Files.createDirectories(model);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(Golden.dir("tiny-tied").resolve(f), model.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(TinyModels.tiny().resolve(f), model.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        DatasetSpec data = DatasetSpec.of(Golden.shared().resolve("data/gsm8k/test.jsonl")).withLimit(50);
        SamplingParams greedy = SamplingParams.greedy(24);
        ModelBundle bundle = ModelBundle.load(model, DType.FP32);
        EmbeddedGenerator embedded = bundle.generator(8, null);
        EvalSpec spec = EvalSpec.of(data, tmp.resolve("embedded")).withPrompt(PromptRegistry.SFT, 0, null)
                .withSampling(1, greedy);
        new EvalRunner(embedded, MathAnswerGrader.gsm8k()).run(spec);

        try (OpenAiServer server = OpenAiServer.start(bundle.generator(8, null), "tiny",
                ServerOptions.onPort(0).withMaxBatch(8));
             OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(server.url(), "tiny").withConcurrency(8))) {
            EvalSpec served = EvalSpec.of(data, tmp.resolve("served")).withPrompt(PromptRegistry.SFT, 0, null)
                    .withSampling(1, greedy);
            new EvalRunner(client, MathAnswerGrader.gsm8k()).run(served);
        }
        Map<String, JsonNode> a = rows(tmp.resolve("embedded/predictions.jsonl"));
        Map<String, JsonNode> b = rows(tmp.resolve("served/predictions.jsonl"));
        assertEquals(50, a.size());
        assertEquals(a.keySet(), b.keySet());
        for (String id : a.keySet()) {
            assertEquals(a.get(id).get("completion").asText(), b.get(id).get("completion").asText(), id);
            assertEquals(a.get(id).get("extracted"), b.get(id).get("extracted"), id);
            assertEquals(a.get(id).get("correct"), b.get(id).get("correct"), id);
        }
    }

    private static Map<String, JsonNode> rows(Path file) throws Exception {
        Map<String, JsonNode> out = new TreeMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(file)) out.put(json.readTree(line).get("id").asText(), json.readTree(line));
        return out;
    }
}
