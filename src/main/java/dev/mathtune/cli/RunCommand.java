package dev.mathtune.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import dev.mathtune.UserError;
import dev.mathtune.experiment.DryRun;
import dev.mathtune.experiment.EvalModelLoader;
import dev.mathtune.experiment.ExperimentReport;
import dev.mathtune.experiment.ExperimentRunner;
import dev.mathtune.experiment.ModelStore;
import dev.mathtune.experiment.Recipe;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.report.ReportFiles;

/**
 * {@code mathtune run RECIPE.yaml}: trains and evaluates every run of a recipe in one output folder, skipping
 * finished runs and resuming unfinished ones, then writes the report. Exit code 1 if any run failed.
 */
@Command(name = "run", description = "Run an experiment recipe: train and evaluate every run, then write the report.")
public final class RunCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Parameters(index = "0", paramLabel = "RECIPE", description = "The recipe (YAML), e.g. recipes/cpu-small.yaml.")
    Path recipe;
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: the recipe's 'out').")
    Path out;
    @Option(names = "--dry-run", description = "List the datasets (fetched into the cache to count rows), the models (listed, not fetched), the runs and estimated tokens; train and evaluate nothing.")
    boolean dryRun;
    @Option(names = "--only", arity = "1..*", split = ",", paramLabel = "NAME", description = "Run only these runs.")
    List<String> only = new ArrayList<>();
    @Option(names = "--cache", paramLabel = "DIR", description = "Hub model cache (default: ~/.cache/mathtune/models); Hub datasets go beside it, in ../datasets.")
    Path cache;
    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Set a recipe variable (${NAME}), e.g. --var augmented=/data/gsm8k-aug.jsonl.")
    Map<String, String> vars = new LinkedHashMap<>();
    @Option(names = "--no-report", description = "Do not write the report at the end.")
    boolean noReport;

    @Override
    public Integer call() throws Exception {
        Recipe r = Recipe.load(recipe, vars);
        Path o = out != null ? out : r.out();
        Path c = cache != null ? cache : ModelStore.defaultCache();
        if (dryRun) {
            System.out.print(DryRun.describe(r, o, c));
            return ExitCode.OK;
        }
        engine.apply();
        ExperimentRunner.Outcome outcome = new ExperimentRunner(r, o, c, evalModels(), System.err)
                .withTrainingLauncher(new WorkerTraining()).run(only);
        System.err.printf("runs: %d done, %d already done, %d failed%n", outcome.done().size(),
                outcome.skipped().size(), outcome.failed().size());
        outcome.failed().forEach((name, error) -> System.err.println("  failed: " + name + ": " + error));
        if (!noReport) {
            ReportFiles files = ExperimentReport.write(o);
            System.out.println(files.markdown());
        }
        return outcome.ok() ? ExitCode.OK : ExitCode.FAILED;
    }

    /** Opens evaluation models with the adapters this build knows (see {@link AdapterWiring}). */
    static EvalModelLoader evalModels() {
        EvalModelLoader plain = EvalModelLoader.fullOnly();
        return (base, method, artifact, dtype, batch) -> switch (method) {
            case "none", "full" -> plain.open(base, method, artifact, dtype, batch);
            default -> {
                AdapterWiring w = AdapterWiring.load(ModelBundle.load(base, dtype), artifact);
                yield w.model().generator(batch, w.prefix());
            }
        };
    }

    /** Runs this command alone (for scripts and tests; {@code mathtune run} is the usual way). */
    public static void main(String[] args) {
        System.exit(execute(new RunCommand(), args));
    }

    /** Executes {@code command} with {@code args}, mapping a {@link UserError} to its one-line message and exit code. */
    static int execute(Object command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            Throwable t = ex;
            while (t.getCause() != null && !(t instanceof UserError)) t = t.getCause();
            if (t instanceof UserError ue) {
                cmd.getErr().println("mathtune: " + ue.getMessage());
                return ue.exitCode();
            }
            ex.printStackTrace(cmd.getErr());
            return ExitCode.INTERNAL;
        });
        return cli.execute(args);
    }
}
