package dev.mathtune.experiment;

import java.io.IOException;
import java.io.PrintStream;

import dev.mathtune.train.TrainSpec;

/**
 * Runs the training of one recipe run: in this process ({@link #IN_PROCESS}), or, for a run whose options ask for
 * {@code nproc-per-node} above 1, over local data-parallel workers (the CLI's launcher, which {@code mathtune run}
 * passes in). Either way {@code spec.out()} ends with the same files.
 */
@FunctionalInterface
public interface TrainingLauncher {

    void train(TrainSpec spec, TrainOptions options, boolean resume, PrintStream log) throws IOException;

    /** Trains in this process; refuses more than one worker, which needs a launcher of processes. */
    TrainingLauncher IN_PROCESS = (spec, options, resume, log) -> {
        if (options.workers() > 1) {
            throw new dev.mathtune.UserError("train option 'nproc-per-node' " + options.workers()
                    + ": data-parallel runs are started by 'mathtune run' (not by this command)");
        }
        TrainingRun.run(spec, resume, log);
    };
}
