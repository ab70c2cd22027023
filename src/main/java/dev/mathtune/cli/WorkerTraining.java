package dev.mathtune.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mathtune.UserError;
import dev.mathtune.experiment.TrainOptions;
import dev.mathtune.experiment.TrainingLauncher;
import dev.mathtune.experiment.TrainingRun;
import dev.mathtune.train.TrainSpec;

/**
 * How {@code mathtune run} trains a recipe run: in this process, or with {@code train: {nproc-per-node: N}} as N
 * local {@code mathtune train} workers (see {@link LocalLauncher}), each with its share of this machine's cores.
 */
final class WorkerTraining implements TrainingLauncher {
    @Override
    public void train(TrainSpec spec, TrainOptions options, boolean resume, PrintStream log) throws IOException {
        int workers = options.workers();
        if (workers == 1) {
            TrainingRun.run(spec, resume, log);
            return;
        }
        List<String> args = new ArrayList<>(List.of("train", "--model", spec.model().toString(), "--data",
                spec.data().toString(), "--method", spec.method(), "--out", spec.out().toString(),
                "--threads", String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors() / workers))));
        args.addAll(options.commandLine());
        if (resume) args.add("--resume");
        log.printf("training on %d local workers: mathtune %s%n", workers, String.join(" ", args));
        int rc;
        try {
            rc = LocalLauncher.run(workers, args, Duration.ofSeconds(options.integer("dist-timeout")), log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while training on " + workers + " workers", e);
        }
        if (rc == ExitCode.BAD_INPUT) throw new UserError(spec.out() + ": a training worker refused its input (see its message above)");
        if (rc != ExitCode.OK) throw new IllegalStateException("data-parallel training into " + spec.out() + " failed (exit code " + rc + ")");
    }
}
