package dev.mathtune.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import dev.mathtune.UserError;
import dev.mathtune.cli.TrainCommand;

/** Parsing and validation of recipes, the shipped recipes, and the dry run. */
class RecipeTest {
    private static final String BASE = """
            name: t
            models:
              m: {preset: tiny}
            datasets:
              d: {synthetic: {count: 4}}
            eval:
              sets:
                s: {dataset: d}
            """;

    @TempDir
    Path tmp;

    private Path write(String yaml) throws IOException {
        Path f = tmp.resolve("r.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private String error(String yaml) throws IOException {
        Path f = write(yaml);
        return assertThrows(UserError.class, () -> Recipe.load(f)).getMessage();
    }

    @Test
    void unknownKeysNameFileLineAndPath() throws IOException {
        String msg = error(BASE + "runs:\n  - {model: m, methd: full, data: d}\n");
        assertTrue(msg.startsWith(tmp.resolve("r.yaml") + ":10: unknown key 'runs[0].methd'"), msg);
        assertTrue(msg.contains("known: ") && msg.contains("method"), msg);
        assertEquals(1, msg.lines().count());
        msg = error(BASE + "runs:\n  - {model: m, method: full, data: d}\ntrain: {lrr: 1}\n");
        assertTrue(msg.contains("unknown key 'train.lrr' (not an option of 'mathtune train'"), msg);
        msg = error(BASE.replace("{preset: tiny}", "{preset: tiny, sed: 3}") + "runs: [{model: m, method: none}]\n");
        assertTrue(msg.contains(":3: unknown key 'models.m.sed'"), msg);
        msg = error(BASE + "runs: [{model: m, method: none}]\nextra: 1\n");
        assertTrue(msg.contains("unknown key 'extra'"), msg);
    }

    @Test
    void hubDatasetsNeedASplitOrAFile() throws IOException {
        String runs = "runs: [{model: m, method: full, data: h}]\n";
        Map<String, String> cases = Map.of(
                "  h: {hub: openai/gsm8k}\n", "a hub dataset needs split (with config when the repo has several)",
                "  h: {hub: openai/gsm8k, split: train, file: x.parquet}\n", "a hub dataset needs split",
                "  h: {hub: openai/gsm8k, config: main, file: \"main/*\"}\n", "'datasets.h.config': goes with split",
                "  h: {path: x.jsonl, split: train}\n", "config, split, file and revision go with hub",
                "  h: {hub: gsm8k, split: train}\n", "expected a dataset repository id like openai/gsm8k");
        for (var c : cases.entrySet()) {
            String msg = error(BASE.replace("datasets:\n", "datasets:\n" + c.getKey()) + runs);
            assertTrue(msg.contains(c.getValue()), c.getKey() + " -> " + msg);
            assertEquals(1, msg.lines().count(), msg);
        }
        Recipe r = Recipe.load(write(BASE.replace("datasets:\n", "datasets:\n  h: {hub: EleutherAI/hendrycks_math, "
                + "config: [geometry, algebra], split: train, revision: refs/pr/1}\n") + runs));
        Recipe.DataSource h = r.datasets().get("h");
        assertEquals(List.of("geometry", "algebra"), h.configs());
        assertEquals("refs/pr/1", h.revision());
        assertEquals("main", Recipe.load(write(BASE.replace("datasets:\n", "datasets:\n  h: {hub: openai/gsm8k, "
                + "config: main, split: test}\n") + runs)).datasets().get("h").revision());
    }

    @Test
    void validationErrorsAreOneLine() throws IOException {
        Map<String, String> cases = Map.of(
                "runs: [{model: x, method: none}]\n", "runs[0].model': no model named 'x'",
                "runs: [{model: m, method: fancy}]\n", "must be full, lora, prefix or none",
                "runs: [{model: m, method: full}]\n", "method full needs training data",
                "runs: [{model: m, method: none, data: d}]\n", "method none trains nothing",
                "runs: [{model: m, method: full, data: d, train: {lr: abc}}]\n", "train option 'lr': expected a number",
                "runs: [{model: m, method: full, data: d, train: {lr: -1}}]\n", "--lr: must be > 0",
                "runs: [{model: m, method: none, prompt: nope}]\n", "unknown prompt 'nope'",
                "runs: [{model: m, method: none}, {model: m, method: none}]\n", "two runs are named 'm-none'",
                "runs: [{model: m, method: none, name: \"${who}\"}]\n", "unknown variable ${who}",
                "runs: [{grid: {model: [m], method: [full]}}]\n", "training methods need data");
        for (var c : cases.entrySet()) {
            String msg = error(BASE + c.getKey());
            assertTrue(msg.contains(c.getValue()), c.getKey() + " -> " + msg);
            assertEquals(1, msg.lines().count(), msg);
        }
    }

    @Test
    void evalSetsMayDecodeWithTheCalculatorInTheEmbeddedEngineOnly() throws IOException {
        Recipe r = Recipe.load(write(BASE.replace("s: {dataset: d}", "s: {dataset: d}\n    c: {dataset: d, calculator: true}")
                + "runs: [{model: m, method: none}]\n"));
        assertEquals(List.of(false, true), r.evalSets().stream().map(Recipe.EvalSet::calculator).toList());
        String msg = error(BASE.replace("s: {dataset: d}", "s: {dataset: d, calculator: true}")
                + "runs: [{model: m, method: none, endpoint: \"http://127.0.0.1:8000/v1\", served-model: x}]\n");
        assertTrue(msg.contains("key 'eval.sets.s.calculator': the calculator runs in the embedded engine only"), msg);
        assertEquals(1, msg.lines().count(), msg);
    }

    @Test
    void gridsExpandAndOptionsMerge() throws IOException {
        Recipe r = Recipe.load(write(BASE + """
                train: {epochs: 2, lr: 1e-4}
                methods:
                  lora: {lr: 2e-4, lora-targets: [q, v]}
                runs:
                  - grid: {model: m, method: [full, lora, none], data: [d]}
                    train: {seed: 7}
                  - {name: custom, model: m, method: prefix, data: d, label: Pfx, train: {lr: 0.01}}
                """));
        assertEquals(List.of("full-d", "lora-d", "none", "custom"), r.runs().stream().map(Recipe.Run::name).toList());
        Recipe.Run full = r.run("full-d").orElseThrow();
        assertEquals("SFT", full.label());
        assertEquals(1e-4, Double.parseDouble(full.train().get("lr")));
        assertEquals("2", full.train().get("epochs"));
        assertEquals("7", full.train().get("seed"));
        Recipe.Run lora = r.run("lora-d").orElseThrow();
        assertEquals(2e-4, Double.parseDouble(lora.train().get("lr")));
        assertEquals("q,v", lora.train().get("lora-targets"));
        assertEquals("m", r.run("none").orElseThrow().label());
        assertEquals("0.01", r.run("custom").orElseThrow().train().get("lr"));
        assertEquals("Pfx", r.run("custom").orElseThrow().label());
        assertEquals(Path.of("runs/t"), r.out());
        assertEquals("none", r.study().source());
    }

    @Test
    void varsComeFromTheRecipeAndTheCaller() throws IOException {
        String yaml = BASE.replace("d: {synthetic: {count: 4}}", "d: {path: \"${dir}/x.jsonl\"}")
                + "vars: {dir: here}\nruns: [{model: m, method: full, data: d}]\n";
        Path f = write(yaml);
        assertEquals(tmp.resolve("here/x.jsonl"), Recipe.load(f).datasets().get("d").path());
        assertEquals(Path.of("/abs/x.jsonl"), Recipe.load(f, Map.of("dir", "/abs")).datasets().get("d").path());
    }

    @Test
    void trainOptionsMatchMathtuneTrain() {
        CommandLine cli = new CommandLine(new TrainCommand());
        for (OptionSpec o : cli.getCommandSpec().options()) {
            String key = o.longestName().substring(2);
            // process-wide settings: a recipe gets them from `mathtune run` (--threads, --device)
            if (List.of("config", "model", "data", "method", "out", "resume", "threads", "device", "verbose", "help", "version").contains(key)) {
                continue;
            }
            assertTrue(TrainOptions.known(key), "recipe train options lack --" + key);
            boolean flag = o.type() == boolean.class;
            String want = o.defaultValue() == null && flag ? "false" : o.defaultValue();
            assertEquals(want, TrainOptions.DEFAULTS.get(key), "default of --" + key);
        }
    }

    @Test
    void shippedRecipesLoad() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("recipes"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(files.size() >= 2, files.toString());
        for (Path f : files) {
            Recipe r = Recipe.load(f);
            assertFalse(r.runs().isEmpty(), f.toString());
            assertTrue(Files.readString(f).startsWith("#"), f + ": header comment with the command");
            assertTrue(Files.readString(f).contains("mathtune run recipes/" + f.getFileName()), f + ": header gives the command");
        }
    }

    @Test
    void studyRecipeDryRunListsEveryRunAndModel() throws IOException {
        Recipe r = Recipe.load(Path.of("recipes/study-qwen2.5-0.5b.yaml"));
        List<String> names = r.runs().stream().map(Recipe.Run::name).toList();
        assertEquals(List.of("full-gsm8k-train", "full-math-train", "lora-gsm8k-train", "lora-math-train",
                "prefix-gsm8k-train", "prefix-math-train", "sft-aug", "qwen2.5-math-1.5b", "qwen2.5-math-1.5b-qwen-cot",
                "base-qwen25-math-cot", "base-qwen-cot-4shot"), names);
        assertEquals(1e-5, Double.parseDouble(r.run("full-math-train").orElseThrow().train().get("lr")));
        assertEquals("32", r.run("prefix-gsm8k-train").orElseThrow().train().get("num-virtual-tokens"));
        assertEquals("4", r.run("lora-gsm8k-train").orElseThrow().train().get("grad-accum"));
        assertEquals("qwen25-math-cot", r.run("qwen2.5-math-1.5b").orElseThrow().prompt());
        Recipe.Run fewShot = r.run("base-qwen-cot-4shot").orElseThrow();
        assertEquals("qwen-cot", fewShot.prompt());
        assertEquals(4, fewShot.shots());
        assertEquals(2048, fewShot.maxNewTokens());
        assertEquals(-1, r.run("base-qwen25-math-cot").orElseThrow().shots());
        // the published figures sit beside the protocol rows, the study's beside its own
        StudyTable study = r.study();
        assertEquals(0.367, study.accuracy(r.run("base-qwen25-math-cot").orElseThrow().label(), "GSM8K").orElseThrow(), 1e-12);
        assertEquals(0.158, study.accuracy(r.run("base-qwen25-math-cot").orElseThrow().label(), "MATH500").orElseThrow(), 1e-12);
        assertEquals(0.416, study.accuracy(fewShot.label(), "GSM8K").orElseThrow(), 1e-12);
        assertTrue(study.accuracy(fewShot.label(), "MATH500").isEmpty());
        assertEquals(0.768, study.accuracy(r.run("qwen2.5-math-1.5b-qwen-cot").orElseThrow().label(), "GSM8K").orElseThrow(), 1e-12);
        assertEquals(0.8438, study.accuracy("Qwen2.5-Math-1.5B", "GSM8K").orElseThrow(), 1e-12);
        assertNull(r.run("sft-aug").orElseThrow().prompt());

        String plan;
        try (dev.mathtune.io.hub.FakeHub hub = StudyHub.start(tmp.resolve("hub"))) {
            plan = DryRun.describe(r, tmp.resolve("out"), tmp.resolve("cache"),
                    () -> new dev.mathtune.io.hub.HubDownloader(hub.endpoint(), null, null, 2, 10));
        }
        for (String name : names) {
            assertTrue(plan.contains("run " + name + " [new]"), plan);
        }
        assertTrue(plan.contains("Qwen/Qwen2.5-0.5B@main (missing: will download) " + tmp.resolve("cache/Qwen/Qwen2.5-0.5B")), plan);
        assertTrue(plan.contains("Qwen/Qwen2.5-Math-1.5B@main (missing: will download)"), plan);
        assertTrue(plan.contains("eval gsm8k:") && plan.contains("eval math500:"), plan);
        assertTrue(plan.lines().filter(l -> l.startsWith("run ")).count() == 11, plan);
        assertTrue(plan.contains("eval gsm8k: " + StudyHub.GSM_TEST + " items x <= 512 new tokens"), plan);
        assertTrue(plan.contains("train: " + StudyHub.GSM_TRAIN + " examples x 3 epochs"), plan);
    }

    @Test
    void syntheticDryRunEstimatesWithoutWritingFiles() throws IOException {
        Recipe r = Recipe.load(TinyRecipes.twoRuns(tmp, 3));
        String plan = DryRun.describe(r, tmp.resolve("out"), tmp.resolve("cache"));
        assertTrue(plan.contains("run sft [new]: method full (SFT), model tiny, data train"), plan);
        assertTrue(plan.contains("preset tiny seed 3 (will create)"), plan);
        assertTrue(plan.contains("train: 16 examples x 3 steps of 4"), plan);
        assertTrue(plan.contains("eval synth: 8 items x <= 24 new tokens = <= 192 tokens (prompt sft)"), plan);
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void cuedProblemsAndMixturesKeepTestQuestionsOut() throws IOException {
        Recipe r = Recipe.load(write("""
                name: t
                models:
                  m: {preset: tiny}
                datasets:
                  test: {synthetic: {count: 40, level: 2, seed: 3}}
                  one: {synthetic: {count: 30, level: 1, seed: 4}}
                  cued: {synthetic: {count: 60, level: 2, seed: 3, cue: "Step by step.", held-out-from: test}}
                  both: {synthetic: {mix: [one, cued]}}
                eval:
                  sets:
                    s: {dataset: test}
                runs: [{model: m, method: full, data: both}]
                """));
        DataStore store = new DataStore(r.datasets(), tmp.resolve("out"), tmp.resolve("datasets"), System.err);
        var test = store.problems(r.datasets().get("test"));
        var cued = store.problems(r.datasets().get("cued"));
        var both = store.problems(r.datasets().get("both"));
        assertEquals(60, cued.size());
        assertEquals(90, both.size());
        assertTrue(cued.stream().allMatch(p -> p.question().startsWith("Step by step. ")));
        var testQuestions = test.stream().map(dev.mathtune.experiment.demo.Problem::question).collect(java.util.stream.Collectors.toSet());
        // the same seed and level as the test set: without held-out-from, these would be the test questions
        assertTrue(cued.stream().noneMatch(p -> testQuestions.contains(p.question().substring("Step by step. ".length()))));
        assertEquals(store.problems(r.datasets().get("one")), both.subList(0, 30));
        assertEquals(cued, both.subList(30, 90));

        String mixed = error(BASE.replace("d: {synthetic: {count: 4}}",
                "d: {synthetic: {count: 4}}\n  x: {synthetic: {mix: [d], count: 3}}") + "runs: [{model: m, method: none}]\n");
        assertTrue(mixed.contains("a mixture takes only the names of the datasets it mixes"), mixed);
        String nested = error(BASE.replace("d: {synthetic: {count: 4}}",
                "d: {synthetic: {count: 4}}\n  x: {synthetic: {mix: [d]}}\n  y: {synthetic: {mix: [x]}}")
                + "runs: [{model: m, method: none}]\n");
        assertTrue(nested.contains("'x' must name another plain synthetic dataset"), nested);
    }
}
