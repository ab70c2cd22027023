package dev.mathtune.parallel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.experiment.TrainOptions;
import dev.mathtune.experiment.TrainingRun;
import dev.mathtune.testing.TinyModels;
import dev.mathtune.train.TrainSpec;

/**
 * A world of one makes no collective call: a run whose {@link Collectives} fails on every call (but says it is
 * rank 0 of 1) trains to the same bytes, and writes the same {@code run.json}, as the plain single-process run.
 */
class SingleProcessTest {

    /** Rank 0 of 1, failing on any collective. */
    static final Collectives REFUSING = new Collectives() {
        @Override
        public int rank() {
            return 0;
        }

        @Override
        public int worldSize() {
            return 1;
        }

        @Override
        public void sumInPlace(Collection<Tensor> tensors) {
            throw new AssertionError("sumInPlace called with one process");
        }

        @Override
        public double[] sum(double... values) {
            throw new AssertionError("sum called with one process");
        }

        @Override
        public void broadcastFromRankZero(Collection<Tensor> tensors) {
            throw new AssertionError("broadcast called with one process");
        }

        @Override
        public void barrier() {
            throw new AssertionError("barrier called with one process");
        }
    };

    @Test
    void oneProcessCallsNoCollective(@TempDir Path tmp) throws Exception {
        Path data = TinyModels.problems(tmp, 1, 16, 3);
        TrainOptions options = TrainOptions.merge("test", Map.of("max-steps", "4", "batch-size", "2",
                "grad-accum", "2", "lr", "5e-3", "max-length", "96", "checkpoint-every", "2"));
        TrainSpec plain = options.spec(TinyModels.tiny(), data, "lora", tmp.resolve("plain"));
        TrainSpec guarded = options.spec(TinyModels.tiny(), data, "lora", tmp.resolve("guarded"));
        TrainingRun.run(plain, false, System.err);
        TrainingRun.run(guarded, false, System.err, REFUSING);
        TrainingRun.run(guarded, true, System.err, REFUSING); // a resume of a finished run: the same
        assertArrayEquals(Files.readAllBytes(tmp.resolve("plain/final/adapter_model.safetensors")),
                Files.readAllBytes(tmp.resolve("guarded/final/adapter_model.safetensors")));
        assertEquals(Files.readString(tmp.resolve("plain/run.json")).replace("plain", "guarded"),
                Files.readString(tmp.resolve("guarded/run.json")));
    }
}
