package dev.mathtune.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.mathtune.engine.DType;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.openai.OpenAiServer;
import dev.mathtune.model.Projection;
import dev.mathtune.peft.LoraLinear;
import dev.mathtune.testing.Golden;
import dev.mathtune.testing.TinyAdapters;

/**
 * {@code mathtune serve --model BASE --adapter NAME=DIR ...} with two LoRA adapters and one prefix adapter on one tiny
 * base: concurrent, interleaved requests for all four names each get exactly what {@code mathtune generate
 * [--adapter DIR]} gives for that model; {@code eval --endpoint --served-model NAME} grades an adapter's outputs.
 */
@Timeout(600)
class ManyAdaptersServeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PROMPTS = List.of("Tom has 3 apples and buys 4 more. How many",
            "Step by step. 12 - 5 =", "Q: 6 * 7 = ?\nA:", "The answer is");
    private static final int TOKENS = 16;

    @TempDir
    static Path tmp;
    private static Path base;
    /** Served name -> adapter directory (null for the base), in serving order. */
    private static final Map<String, Path> MODELS = new LinkedHashMap<>();
    /** Served name -> {@code generate --json} rows for {@link #PROMPTS}. */
    private static final Map<String, List<JsonNode>> EXPECTED = new LinkedHashMap<>();
    private static OpenAiServer server;

    @BeforeAll
    static void serve() throws Exception {
        base = BadInputTest.copyTiny(tmp);
        MODELS.put("base", null);
        MODELS.put("lora-a", TinyAdapters.lora(base, tmp.resolve("lora-a"), 4, 1, 0.5));
        MODELS.put("lora-b", TinyAdapters.lora(base, tmp.resolve("lora-b"), 2, 2, 0.5));
        MODELS.put("prefix-p", TinyAdapters.prefix(base, tmp.resolve("prefix-p"), 8, 3, 3.0));
        Path prompts = tmp.resolve("prompts.jsonl");
        List<String> lines = new ArrayList<>();
        for (String p : PROMPTS) lines.add(JSON.createObjectNode().put("prompt", p).toString());
        Files.write(prompts, lines);
        for (var e : MODELS.entrySet()) EXPECTED.put(e.getKey(), generate(prompts, e.getValue()));
        List<String> args = new ArrayList<>(List.of("--model", base.toString(), "--served-model", "base", "--port", "0",
                "--batch-size", "3"));
        for (var e : MODELS.entrySet()) {
            if (e.getValue() != null) args.addAll(List.of("--adapter", e.getKey() + "=" + e.getValue()));
        }
        server = open(args.toArray(String[]::new));
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** What {@code mathtune serve ARGS} starts, on a free port, in this JVM. */
    static OpenAiServer open(String... args) {
        ServeCommand cmd = new ServeCommand();
        new CommandLine(cmd).parseArgs(args);
        cmd.engine.apply();
        return cmd.open();
    }

    /** {@code mathtune generate --model BASE [--adapter DIR] --input F --json}, greedy, one row per prompt. */
    static List<JsonNode> generate(Path prompts, Path adapter) throws Exception {
        List<String> args = new ArrayList<>(List.of("generate", "--model", base.toString(), "--input", prompts.toString(),
                "--max-new-tokens", String.valueOf(TOKENS), "--json"));
        if (adapter != null) args.addAll(List.of("--adapter", adapter.toString()));
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(ExitCode.OK, Main.run(args.toArray(String[]::new)));
        } finally {
            System.setOut(old);
        }
        List<JsonNode> rows = new ArrayList<>();
        for (String line : buf.toString(StandardCharsets.UTF_8).strip().split("\n")) rows.add(JSON.readTree(line));
        assertEquals(PROMPTS.size(), rows.size());
        return rows;
    }

    @Test
    void adaptersChangeTheOutputs() {
        List<String> baseTexts = texts("base");
        for (String name : List.of("lora-a", "lora-b", "prefix-p")) {
            List<String> t = texts(name);
            int differ = 0;
            for (int i = 0; i < PROMPTS.size(); i++) if (!t.get(i).equals(baseTexts.get(i))) differ++;
            assertEquals(PROMPTS.size(), differ, name + " vs base: " + t + " / " + baseTexts);
        }
        assertNotEquals(texts("lora-a"), texts("lora-b"));
        assertNotEquals(texts("lora-a"), texts("prefix-p"));
        assertNotEquals(texts("lora-b"), texts("prefix-p"));
    }

    @Test
    void interleavedConcurrentRequestsGetEachModelsOwnGreedyOutput() throws Exception {
        record Call(String model, int prompt, int round) {
        }
        List<Call> calls = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (String m : MODELS.keySet()) for (int p = 0; p < PROMPTS.size(); p++) calls.add(new Call(m, p, round));
        }
        Collections.shuffle(calls, new Random(19));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        CountDownLatch go = new CountDownLatch(1);
        Map<Call, JsonNode> answers = new ConcurrentHashMap<>();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Call c : calls) {
                done.add(pool.submit(() -> {
                    go.await();
                    ObjectNode body = JSON.createObjectNode().put("model", c.model()).put("prompt", PROMPTS.get(c.prompt()))
                            .put("max_tokens", TOKENS).put("temperature", 0);
                    answers.put(c, post(http, "/completions", body));
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(calls.size(), answers.size());
        for (Call c : calls) {
            JsonNode a = answers.get(c), want = EXPECTED.get(c.model()).get(c.prompt());
            assertEquals(c.model(), a.get("model").asText(), c.toString());
            JsonNode choice = a.get("choices").get(0);
            assertEquals(want.get("completion").asText(), choice.get("text").asText(), c.toString());
            assertEquals(want.get("completion_ids"), choice.get("token_ids"), c.toString());
            assertEquals(want.get("finish_reason").asText(), choice.get("finish_reason").asText(), c.toString());
        }
    }

    @Test
    void modelsListsTheBaseThenEachAdapterAndAnUnknownModelIs404() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/models")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        JsonNode data = JSON.readTree(r.body()).get("data");
        assertEquals(List.copyOf(MODELS.keySet()), names(data));
        assertTrue(data.get(0).get("parent").isNull());
        for (int i = 1; i < data.size(); i++) {
            assertEquals("base", data.get(i).get("parent").asText());
            Path dir = MODELS.get(data.get(i).get("id").asText()).toAbsolutePath().normalize();
            assertEquals(dir.toString(), data.get(i).get("root").asText());
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"lora-c\",\"prompt\":\"a\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        JsonNode error = JSON.readTree(missing.body()).get("error");
        assertEquals("invalid_request_error", error.get("type").asText());
        assertTrue(error.get("message").asText().contains("'lora-c' does not exist"), missing.body());
    }

    @Test
    void evalAgainstTheServerGradesTheNamedAdaptersOutputs() throws Exception {
        Path data = Golden.shared().resolve("data/gsm8k/test.jsonl");
        List<String> common = List.of("--data", data.toString(), "--limit", "6", "--prompt", "sft", "--max-new-tokens", "24");
        Map<String, JsonNode> embedded = eval(common, "--model", base.toString(), "--adapter", MODELS.get("lora-a").toString(),
                "--out", tmp.resolve("eval-embedded").toString());
        Map<String, JsonNode> served = eval(common, "--endpoint", server.url(), "--served-model", "lora-a",
                "--out", tmp.resolve("eval-served").toString());
        Map<String, JsonNode> servedBase = eval(common, "--endpoint", server.url(), "--served-model", "base",
                "--out", tmp.resolve("eval-base").toString());
        assertEquals(6, served.size());
        assertEquals(embedded.keySet(), served.keySet());
        int differFromBase = 0;
        for (String id : embedded.keySet()) {
            for (String field : List.of("completion", "extracted", "correct")) {
                assertEquals(embedded.get(id).get(field), served.get(id).get(field), id + " " + field);
            }
            if (!served.get(id).get("completion").equals(servedBase.get(id).get("completion"))) differFromBase++;
        }
        assertEquals(6, differFromBase, "the adapter's answers differ from the base's");
    }

    @Test
    void aSinglePlainAdapterIsStillServedUnderTheServedName() throws Exception {
        try (OpenAiServer solo = open("--model", base.toString(), "--served-model", "solo", "--port", "0",
                "--adapter", MODELS.get("prefix-p").toString())) {
            HttpClient http = HttpClient.newHttpClient();
            ObjectNode body = JSON.createObjectNode().put("model", "solo").put("prompt", PROMPTS.get(1))
                    .put("max_tokens", TOKENS).put("temperature", 0);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(solo.url() + "/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(EXPECTED.get("prefix-p").get(1).get("completion").asText(),
                    JSON.readTree(r.body()).get("choices").get(0).get("text").asText());
        }
    }

    @Test
    void loraAdaptersShareTheBaseWeightsAndPrefixUsesTheBaseModel() {
        ModelBundle bundle = ModelBundle.load(base, DType.FP32);
        AdapterWiring lora = AdapterWiring.load(bundle, MODELS.get("lora-a"));
        assertSame(bundle.model().weights(), lora.model().model().weights());
        for (int i = 0; i < bundle.model().config().numLayers(); i++) {
            Projection[] plain = bundle.model().projections().get(i).all();
            Projection[] wrapped = lora.model().model().projections().get(i).all();
            for (int j = 0; j < plain.length; j++) {
                LoraLinear l = assertInstanceOf(LoraLinear.class, wrapped[j]);
                assertSame(plain[j], l.base(), "layer " + i + " projection " + j);
            }
        }
        AdapterWiring prefix = AdapterWiring.load(bundle, MODELS.get("prefix-p"));
        assertSame(bundle.model(), prefix.model().model());
        assertNotNull(prefix.prefix());
    }

    @Test
    void badAdapterOptionsAreOneLineErrors() throws Exception {
        String a = MODELS.get("lora-a").toString(), b = MODELS.get("lora-b").toString();
        BadInputTest.assertOneLineError(serve("--adapter", "x=" + a, "--adapter", b), "--adapter " + b, "NAME=DIR");
        BadInputTest.assertOneLineError(serve("--adapter", "x=" + a, "--adapter", "x=" + b), "--adapter x=" + b,
                "'x' is given twice");
        BadInputTest.assertOneLineError(serve("--served-model", "main", "--adapter", "main=" + a), "--adapter main=" + a,
                "base model's served name");
        BadInputTest.assertOneLineError(serve("--adapter", "=" + a), "--adapter =" + a, "name");
        BadInputTest.assertOneLineError(serve("--adapter", "x="), "--adapter x=", "directory");
        Path notAdapter = Files.createDirectories(tmp.resolve("not-an-adapter"));
        BadInputTest.assertOneLineError(serve("--adapter", "x=" + a, "--adapter", "y=" + notAdapter),
                notAdapter.resolve("adapter_config.json").toString(), "missing");
    }

    private static BadInputTest.Result serve(String... extra) {
        List<String> args = new ArrayList<>(List.of("serve", "--model", base.toString(), "--port", "0"));
        args.addAll(List.of(extra));
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(args.toArray(String[]::new));
            return new BadInputTest.Result(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    private static Map<String, JsonNode> eval(List<String> common, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("eval"));
        all.addAll(common);
        all.addAll(List.of(args));
        assertEquals(ExitCode.OK, Main.run(all.toArray(String[]::new)));
        Path out = Path.of(all.get(all.indexOf("--out") + 1));
        Map<String, JsonNode> rows = new TreeMap<>();
        for (String line : Files.readAllLines(out.resolve("predictions.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            rows.put(n.get("id").asText(), n);
        }
        return rows;
    }

    private static JsonNode post(HttpClient http, String path, ObjectNode body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> texts(String model) {
        return EXPECTED.get(model).stream().map(n -> n.get("completion").asText()).toList();
    }

    private static List<String> names(JsonNode data) {
        List<String> out = new ArrayList<>();
        data.forEach(n -> out.add(n.get("id").asText()));
        return out;
    }
}
