package dev.mathtune.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code mathtune bench train}: placeholder until the trainer lands (prints an error, exit 1). */
@Command(name = "train", description = "Training step throughput (not yet available).")
final class BenchTrainCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("mathtune: bench train is not implemented yet");
        return ExitCode.FAILED;
    }
}
