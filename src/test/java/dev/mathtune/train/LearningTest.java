package dev.mathtune.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mathtune.experiment.TrainingRun;
import dev.mathtune.report.MetricsLog;
import dev.mathtune.report.MetricsRow;
import dev.mathtune.testing.TinyModels;

/** On a tiny model and 32 examples, training drives the loss down (full and LoRA ≥ 90%, prefix ≥ 50%). */
class LearningTest {

    static TrainSpec spec(Path model, Path data, Path out, String method, double lr, int steps) {
        return new TrainSpec(model, data, method, out, DataFormat.auto(), false, false, 256, false, 1, steps,
                8, 1, lr, 0.05, 0.0, 0.0, 1.0, 0.9, 0.999, 1e-8, 7, 0, 50, "fp32",
                8, 16, 0.0, List.of("q", "k", "v", "o", "gate", "up", "down"), false, 8, false, 64, 0);
    }

    @ParameterizedTest
    @CsvSource({"full, 3e-3, 300, 0.90", "lora, 1e-2, 300, 0.90", "prefix, 3e-2, 300, 0.50"})
    void lossFalls(String method, double lr, int steps, double drop, @TempDir Path tmp) throws Exception {
        Path data = TinyModels.problems(tmp, 1, 32, 11);
        TrainResult r = TrainingRun.run(spec(TinyModels.tiny(), data, tmp.resolve("run"), method, lr, steps), false,
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        List<MetricsRow> rows = MetricsLog.read(tmp.resolve("run/metrics.jsonl"));
        assertEquals(steps, rows.size());
        double first = rows.get(0).loss();
        double last = rows.subList(rows.size() - 10, rows.size()).stream().mapToDouble(MetricsRow::loss).average().orElseThrow();
        assertTrue(last <= (1 - drop) * first, method + ": loss " + first + " -> " + last);
        assertTrue(java.nio.file.Files.isRegularFile(r.artifact().resolve(method.equals("full") ? "model.safetensors" : "adapter_model.safetensors")));
        assertTrue(java.nio.file.Files.size(tmp.resolve("run/loss.png")) > 1000);
    }
}
