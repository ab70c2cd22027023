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

import dev.mathtune.cli.ReportCommand;
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
        }
        assertTrue(Files.isRegularFile(out.resolve("runs/sft/train/train_summary.json")));
        assertTrue(Files.isDirectory(out.resolve("runs/sft/train/final")));

        ExperimentRunner.Outcome again = runner.run(List.of());
        assertEquals(List.of("sft", "base"), again.skipped());

        ExperimentReport.write(out);
        for (String f : List.of("report.md", "results.csv", "accuracy.png", "loss.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| SFT | tiny | synthetic train |"), md);
        assertTrue(md.contains("GSM8K study"), md); // the study's SFT number beside ours
        assertTrue(md.contains("34.27"), md);
        List<String> csv = Files.readAllLines(out.resolve("results.csv"));
        assertEquals(3, csv.size(), String.join("\n", csv));
    }
}
