package dev.mathtune.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mathtune.engine.DType;
import dev.mathtune.experiment.demo.Problem;
import dev.mathtune.experiment.demo.ProblemFile;
import dev.mathtune.experiment.demo.SyntheticProblems;
import dev.mathtune.model.CheckpointInit;
import dev.mathtune.model.Presets;

/** Tiny random checkpoints (with their own tokenizer) and synthetic data files, created once per JVM. */
public final class TinyModels {
    private static Path tiny;

    private TinyModels() {
    }

    /** A {@code tiny}-preset checkpoint (seed 0), shared by tests that only read it. */
    public static synchronized Path tiny() {
        if (tiny == null) {
            try {
                tiny = Files.createTempDirectory("mathtune-tiny");
                CheckpointInit.write(Presets.get("tiny"), tiny, DType.FP32, 0, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return tiny;
    }

    /** {@code count} synthetic GSM8K-format problems of {@code level} written as JSONL into {@code dir}. */
    public static Path problems(Path dir, int level, int count, long seed) {
        return problems(dir, level, count, seed, 0);
    }

    /** As {@link #problems(Path, int, int, long)} with every number at most {@code maxNumber} (0: any). */
    public static Path problems(Path dir, int level, int count, long seed, int maxNumber) {
        List<Problem> ps = new SyntheticProblems().generateHeldOut(level, count, seed, List.of(), maxNumber);
        Path f = dir.resolve("problems-" + level + "-" + count + "-" + seed + "-" + maxNumber + ".jsonl");
        ProblemFile.write(f, ps);
        return f;
    }
}
