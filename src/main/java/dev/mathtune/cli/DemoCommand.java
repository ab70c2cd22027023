package dev.mathtune.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.UserError;
import dev.mathtune.experiment.ExperimentReport;
import dev.mathtune.experiment.ExperimentRunner;
import dev.mathtune.experiment.ModelStore;
import dev.mathtune.experiment.Recipe;
import dev.mathtune.report.ReportFiles;

/**
 * {@code mathtune demo}: runs {@code recipes/demo.yaml} — a tiny Qwen2 pretrained on one-step word problems, then
 * SFT, LoRA, Prefix-Tuning and SFT on augmented data on two-step ones, all graded on held-out problems — and
 * prints where the report is. No network, no files outside the repository; re-running resumes.
 */
@Command(name = "demo", description = "The whole study in miniature on this CPU (tiny model, synthetic problems).")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Option(names = "--out", defaultValue = "runs/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    /** {@code recipes/demo.yaml} of this installation (the launcher passes {@code -Dmathtune.home}). */
    static Path recipe() {
        Path home = Path.of(System.getProperty("mathtune.home", "."));
        Path r = home.resolve("recipes").resolve("demo.yaml");
        if (!Files.isRegularFile(r)) throw UserError.inFile(r, "missing: the demo recipe ships with mathtune's sources");
        return r;
    }

    @Override
    public Integer call() throws Exception {
        engine.apply();
        long t0 = System.nanoTime();
        Recipe r = Recipe.load(recipe(), java.util.Map.of());
        ExperimentRunner.Outcome outcome = new ExperimentRunner(r, out, ModelStore.defaultCache(), RunCommand.evalModels(),
                System.err).run(List.of());
        ReportFiles files = ExperimentReport.write(out);
        System.err.printf("demo finished in %.1f min: %d runs done, %d already done, %d failed%n",
                (System.nanoTime() - t0) / 60e9, outcome.done().size(), outcome.skipped().size(), outcome.failed().size());
        outcome.failed().forEach((name, error) -> System.err.println("  failed: " + name + ": " + error));
        System.err.println("report: " + files.markdown().toAbsolutePath());
        System.out.println(files.markdown().toAbsolutePath());
        return outcome.ok() ? ExitCode.OK : ExitCode.FAILED;
    }
}
