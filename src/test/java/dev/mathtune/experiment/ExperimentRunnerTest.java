package dev.mathtune.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

import dev.mathtune.cli.ReportCommand;
import dev.mathtune.cli.RunCommand;
import dev.mathtune.engine.Engine;

/** A real two-run experiment on the tiny preset: train, evaluate, report; a second run skips both. */
class ExperimentRunnerTest {
    @TempDir
    Path tmp;

    @Test
    void trainsEvaluatesAndReports() throws Exception {
        Engine.init(1);
        Recipe recipe = Recipe.load(TinyRecipes.twoRuns(tmp, 4));
        Path out = tmp.resolve("out");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ExperimentRunner runner = new ExperimentRunner(recipe, out, tmp.resolve("cache"), EvalModelLoader.fullOnly(),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        ExperimentRunner.Outcome first = runner.run(List.of());
        assertTrue(first.ok(), () -> first.failed() + "\n" + log);
        assertEquals(List.of("sft", "base"), first.done());
        for (String run : List.of("sft", "base")) {
            Path dir = out.resolve("runs").resolve(run);
            assertTrue(RunStatus.read(dir).done());
            assertTrue(Files.isRegularFile(dir.resolve("config.json")));
            assertEquals(8, Files.readAllLines(dir.resolve("eval/synth/predictions.jsonl")).size());
            assertTrue(Files.isRegularFile(dir.resolve("eval/synth/metrics.json")));
            assertGradersSideBySide(dir.resolve("eval/synth"));
            assertEquals("fp32", ExperimentRunner.JSON.readTree(dir.resolve("eval/synth/run.json").toFile())
                    .path("dtype").asText(), "the evaluation records its compute dtype");
        }
        assertTrue(Files.isRegularFile(out.resolve("runs/sft/train/train_summary.json")));
        assertTrue(Files.isDirectory(out.resolve("runs/sft/train/final")));

        ExperimentRunner.Outcome again = runner.run(List.of());
        assertEquals(List.of("sft", "base"), again.skipped());
        ExperimentReport.write(out);

        Files.delete(out.resolve("report.md"));
        assertEquals(0, new CommandLine(new ReportCommand()).execute(out.toString()));
        for (String f : List.of("report.md", "results.csv", "accuracy.png", "loss.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| SFT | tiny | synthetic train |"), md);
        assertTrue(md.contains("GSM8K study"), md); // the study's SFT number beside ours
        assertTrue(md.contains("34.27"), md);
        assertTrue(md.contains("Graders side by side") && md.contains("qwen") && md.contains("lm-eval")
                && md.contains("graders disagree on"), md);
        assertTrue(md.contains("Compute dtypes") && md.contains("evaluation fp32"), md);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
    }

    @Test
    void aFailedRunIsRecordedAndTheOthersGoOn() throws Exception {
        Path recipe = tmp.resolve("fail.yaml");
        Files.writeString(recipe, """
                # mathtune run fail.yaml
                name: fail
                models:
                  tiny: {preset: tiny, seed: 3}
                datasets:
                  missing: {path: nowhere/train.jsonl}
                  test: {synthetic: {count: 4, level: 1, seed: 2}}
                eval:
                  sets:
                    synth: {dataset: test, max-new-tokens: 8}
                runs:
                  - {name: broken, model: tiny, method: full, data: missing}
                  - {name: base, model: tiny, method: none}
                """);
        Path out = tmp.resolve("out");
        int rc = new CommandLine(new RunCommand()).execute(recipe.toString(), "--out", out.toString(), "--threads", "1");
        assertEquals(1, rc);
        RunStatus broken = RunStatus.read(out.resolve("runs/broken"));
        assertEquals(RunStatus.FAILED, broken.status());
        assertTrue(broken.error().contains("nowhere/train.jsonl") && broken.error().contains("does not exist"), broken.error());
        assertTrue(RunStatus.read(out.resolve("runs/base")).done());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("1 done, 1 failed: broken ("), md);
    }

    /**
     * metrics.json holds the accuracy under mathtune's, qwen's and lm-eval's graders, counted again here from
     * predictions.jsonl, and the number of rows where they disagree.
     */
    private static void assertGradersSideBySide(Path evalDir) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var metrics = json.readTree(evalDir.resolve("metrics.json").toFile());
        System.out.println(evalDir + "/metrics.json graders: " + metrics.get("graders") + ", graders_disagree: "
                + metrics.get("graders_disagree"));
        int disagree = 0;
        java.util.Map<String, Integer> correct = new java.util.HashMap<>();
        List<String> lines = Files.readAllLines(evalDir.resolve("predictions.jsonl"));
        for (String line : lines) {
            var graders = json.readTree(line).get("graders");
            java.util.Set<Boolean> verdicts = new java.util.HashSet<>();
            for (String name : List.of("mathtune", "qwen", "lm-eval")) {
                boolean c = graders.get(name).get("correct").asBoolean();
                verdicts.add(c);
                correct.merge(name, c ? 1 : 0, Integer::sum);
            }
            disagree += verdicts.size() > 1 ? 1 : 0;
        }
        for (String name : List.of("mathtune", "qwen", "lm-eval")) {
            assertEquals(correct.get(name).intValue(), metrics.get("graders").get(name).get("correct").asInt(), name);
            assertEquals(lines.size(), metrics.get("graders").get(name).get("total").asInt(), name);
        }
        assertEquals(disagree, metrics.get("graders_disagree").asInt());
    }
}
