package dev.mathtune.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.data.DatasetRows;
import dev.mathtune.io.hub.FakeHub;
import dev.mathtune.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, must show 1: the shipped study recipe resolves every dataset and model against a Hub (a fake one that
 * answers as the real one, with the real repositories' layouts, see {@link StudyHub}) reached through
 * {@code HF_ENDPOINT}, and a tiny copy of it with the same dataset ids runs end to end from Hub ids alone.
 */
class StudyFromTheHubTest {
    static final Path STUDY = Path.of("recipes/study-qwen2.5-0.5b.yaml");

    @TempDir
    Path tmp;

    private String mathtune(FakeHub hub, Map<String, String> extraEnv, String... args) throws Exception {
        Path log = tmp.resolve("child-" + System.nanoTime() + ".log");
        Map<String, String> env = new java.util.HashMap<>(Map.of("HF_ENDPOINT", hub.endpoint().toString(),
                "HF_HOME", tmp.resolve("hf-home").toString(), "HF_TOKEN", ""));
        env.putAll(extraEnv);
        Process p = ChildJvm.start(log, env, args);
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "mathtune finished");
        String out = Files.readString(log);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void studyRecipeDryRunResolvesEveryDatasetAndModel() throws Exception {
        try (FakeHub hub = StudyHub.start(tmp.resolve("hub"))) {
            Path cache = tmp.resolve("cache/models");
            String out = mathtune(hub, Map.of(), "run", STUDY.toString(), "--dry-run", "--cache", cache.toString(),
                    "--out", tmp.resolve("study").toString());
            String c = FakeHub.COMMIT;
            assertTrue(out.contains("dataset gsm8k-train: openai/gsm8k@main config main split train: "
                    + StudyHub.GSM_TRAIN + " rows, commit " + c + ", 1 files"), out);
            assertTrue(out.contains("dataset math-train: EleutherAI/hendrycks_math@main config algebra+counting_and_probability"
                    + "+geometry+intermediate_algebra+number_theory+prealgebra+precalculus split train: "
                    + 7 * StudyHub.PER_SUBJECT + " rows, commit " + c + ", 7 files"), out);
            assertTrue(out.contains("dataset gsm8k-test: openai/gsm8k@main config main split test: " + StudyHub.GSM_TEST + " rows"), out);
            assertTrue(out.contains("dataset math500: HuggingFaceH4/MATH-500@main split test: " + StudyHub.MATH500 + " rows"), out);
            assertTrue(out.contains("dataset augmented: local: MISSING"), out);
            assertTrue(out.contains("model qwen2.5-0.5b: Qwen/Qwen2.5-0.5B@main: will download 3 files, 0.1 MB (commit " + c), out);
            assertTrue(out.contains("model qwen2.5-math-1.5b: Qwen/Qwen2.5-Math-1.5B@main: will download 3 files"), out);
            assertTrue(out.contains("run full-gsm8k-train [new]"), out);
            assertTrue(out.contains("  train: " + StudyHub.GSM_TRAIN + " examples x 3 epochs"), out);
            assertTrue(out.contains("  eval math500: " + StudyHub.MATH500 + " items x <= 1024 new tokens"), out);
            assertFalse(Files.exists(cache), "a dry run downloads no model");
            assertFalse(hub.requests.stream().anyMatch(r -> r.path().contains("/Qwen2.5-0.5B/resolve/")), "no model file fetched");
        }
    }

    @Test
    void tinyCopyOfTheStudyRunsEndToEndFromHubIds() throws Exception {
        Recipe study = Recipe.load(STUDY);
        Path recipe = tinyCopy(study);
        Path cache = tmp.resolve("cache/models");
        Path out = tmp.resolve("tiny-study");
        try (FakeHub hub = StudyHub.start(tmp.resolve("hub"))) {
            String log = mathtune(hub, Map.of(), "run", recipe.toString(), "--cache", cache.toString(), "--out", out.toString());
            assertTrue(log.contains("runs: 2 done, 0 already done, 0 failed"), log);
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode math = json.readTree(out.resolve("runs/full-math-train/config.json").toFile());
        assertEquals("EleutherAI/hendrycks_math", math.at("/data/hub/repo").asText());
        assertEquals(FakeHub.COMMIT, math.at("/data/hub/commit").asText());
        assertEquals(StudyHub.SUBJECTS.keySet().stream().map(s -> s + "/train-00000-of-00001.parquet").toList(),
                json.convertValue(math.at("/data/hub/files"), List.class), "subjects merged in folder order");
        assertEquals(FakeHub.COMMIT, math.at("/model/commit").asText());
        JsonNode gsm = json.readTree(out.resolve("runs/full-gsm8k-train/config.json").toFile());
        assertEquals(List.of("main/train-00000-of-00001.parquet"), json.convertValue(gsm.at("/data/hub/files"), List.class));
        assertEquals("HuggingFaceH4/MATH-500", gsm.at("/eval/1/hub/repo").asText());
        for (String run : List.of("full-gsm8k-train", "full-math-train")) {
            assertTrue(RunStatus.read(out.resolve("runs").resolve(run)).done(), run);
            for (String set : List.of("gsm8k", "math500")) {
                assertTrue(Files.isDirectory(out.resolve("runs").resolve(run).resolve("eval").resolve(set)), run + " " + set);
            }
        }
        JsonNode summary = json.readTree(out.resolve("runs/full-math-train/train/train_summary.json").toFile());
        assertTrue(summary.path("training_seconds").asDouble() > 0, summary.toString());

        // Offline (HF_HUB_OFFLINE=1, the Hub gone): the dry run finds every dataset and the model in the cache;
        // with an empty cache it says what is missing instead of downloading.
        try (FakeHub gone = new FakeHub()) {
            String dry = mathtune(gone, Map.of("HF_HUB_OFFLINE", "1"), "run", recipe.toString(), "--dry-run",
                    "--cache", cache.toString(), "--out", out.toString());
            assertTrue(dry.contains("dataset math-train: EleutherAI/hendrycks_math@main config algebra"), dry);
            assertTrue(dry.contains(7 * StudyHub.PER_SUBJECT + " rows, commit " + FakeHub.COMMIT + ", 7 files"), dry);
            assertTrue(dry.contains("model tiny: acme/tiny-qwen2@main (present)"), dry);
            assertTrue(dry.contains("run full-math-train [done]"), dry);
            String empty = mathtune(gone, Map.of("HF_HUB_OFFLINE", "1"), "run", recipe.toString(), "--dry-run",
                    "--cache", tmp.resolve("empty/models").toString(), "--out", out.toString());
            assertTrue(empty.contains("dataset math500: HuggingFaceH4/MATH-500@main split test: ERROR: dataset"
                    + " HuggingFaceH4/MATH-500 (datasets.math500) is not in the cache"), empty);
            assertTrue(empty.contains("and HF_HUB_OFFLINE is set"), empty);
            assertTrue(empty.contains("model tiny: acme/tiny-qwen2@main: MISSING, not in the cache"), empty);
            assertTrue(gone.requests.isEmpty(), "offline: no request at all");
        }
        // In process, with a Hub that must not be asked: every dataset comes from the cache.
        Recipe tiny = Recipe.load(recipe);
        DataStore offline = new DataStore(tiny.datasets(), out, DataStore.cacheBeside(cache), System.err,
                () -> { throw new AssertionError("the Hub was asked for a cached dataset"); });
        for (String name : tiny.datasets().keySet()) {
            assertTrue(offline.present(name), name);
            assertFalse(DatasetRows.read(offline.ensure(name), 0).isEmpty(), name);
        }
        assertEquals(7 * StudyHub.PER_SUBJECT, DatasetRows.read(offline.ensure("math-train"), 0).size());
    }

    @Test
    void hfDatasetArgumentsAreFetchedIntoTheCache() throws Exception {
        Path cache = tmp.resolve("cache/datasets");
        try (FakeHub hub = StudyHub.start(tmp.resolve("hub"))) {
            java.util.function.Supplier<dev.mathtune.io.hub.HubDownloader> to =
                    () -> new dev.mathtune.io.hub.HubDownloader(hub.endpoint(), null, null, 2, 10);
            Path train = HubDatasetPath.resolve(Path.of("hf://datasets/openai/gsm8k/main/train-*.parquet"), cache, to);
            assertEquals(cache.resolve("openai/gsm8k/main/train-00000-of-00001.parquet"), train);
            assertEquals(StudyHub.GSM_TRAIN, DatasetRows.read(train, 0).size());
            Path algebra = HubDatasetPath.resolve(Path.of("hf://datasets/EleutherAI/hendrycks_math/*/train-*.parquet"), cache, to);
            assertEquals(7 * StudyHub.PER_SUBJECT, DatasetRows.read(algebra, 0).size());
            assertEquals(Path.of("local.jsonl"), HubDatasetPath.resolve(Path.of("local.jsonl"), cache, to));
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.mathtune.UserError.class,
                    () -> HubDatasetPath.resolve(Path.of("hf://datasets/openai/gsm8k"), cache, to));
            assertTrue(e.getMessage().contains("expected hf://datasets/OWNER/NAME[@REVISION]/PATH"), e.getMessage());
        }
    }

    /** The study recipe's Hub datasets as they are, a tiny Hub model, two short runs, three items per eval set. */
    private Path tinyCopy(Recipe study) throws IOException {
        String datasets = study.datasets().values().stream().filter(Recipe.DataSource::isHub)
                .map(d -> "  " + d.name() + ": {hub: " + d.hub() + ", revision: " + d.revision()
                        + (d.configs().isEmpty() ? "" : ", config: [" + String.join(", ", d.configs()) + "]")
                        + ", split: " + d.split() + "}")
                .collect(Collectors.joining("\n"));
        assertTrue(datasets.contains("math500") && datasets.contains("gsm8k-train") && datasets.contains("math-train"), datasets);
        Path file = tmp.resolve("tiny-study.yaml");
        Files.writeString(file, """
                name: tiny-study
                title: The study's datasets by Hub id, a tiny model
                models:
                  tiny: {hub: acme/tiny-qwen2}
                datasets:
                %s
                train:
                  max-steps: 2
                  batch-size: 2
                  max-length: 96
                  checkpoint-every: 1
                  log-every: 1
                  lr: 1e-3
                eval:
                  batch-size: 4
                  sets:
                    gsm8k: {dataset: gsm8k-test, label: GSM8K, prompt: sft, max-new-tokens: 4, limit: 3}
                    math500: {dataset: math500, label: MATH500, prompt: sft, max-new-tokens: 4, limit: 3}
                runs:
                  - {name: full-gsm8k-train, model: tiny, method: full, data: gsm8k-train}
                  - {name: full-math-train, model: tiny, method: full, data: math-train}
                """.formatted(datasets.indent(0).replace("\n  ", "\n  ")));
        return file;
    }
}
