package dev.mathtune.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.cli.Main;
import dev.mathtune.testing.TinyModels;

/**
 * {@code train --dtype auto} records the dtype it chose in {@code run.json} and {@code train_summary.json}, and a
 * resume computes in the recorded dtype whatever a measurement would say now.
 */
class AutoDTypeTrainingTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static int train(Path data, Path out, int steps, String dtype, String... extra) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("train", "--model",
                TinyModels.tiny().toString(), "--data", data.toString(), "--out", out.toString(), "--method", "lora",
                "--max-steps", String.valueOf(steps), "--batch-size", "2", "--checkpoint-every", "1", "--seed", "3",
                "--dtype", dtype));
        a.addAll(java.util.List.of(extra));
        return Main.run(a.toArray(String[]::new));
    }

    @Test
    void theChosenDtypeIsRecordedAndAResumeKeepsIt(@TempDir Path tmp) throws Exception {
        Path data = TinyModels.problems(tmp, 2, 8, 3), out = tmp.resolve("run");
        assertEquals(0, train(data, out, 2, "auto"));
        String chosen = JSON.readTree(out.resolve("run.json").toFile()).path("dtype").asText();
        assertTrue(chosen.equals("fp32") || chosen.equals("bf16"), "run.json dtype: " + chosen);
        assertEquals(chosen, JSON.readTree(out.resolve("train_summary.json").toFile()).path("dtype").asText());

        // the run in this folder computed in the other dtype: a resume under auto must keep that one
        String other = chosen.equals("fp32") ? "bf16" : "fp32";
        ObjectNode record = (ObjectNode) JSON.readTree(out.resolve("run.json").toFile());
        record.put("dtype", other);
        Files.writeString(out.resolve("run.json"), JSON.writeValueAsString(record));
        assertEquals(0, train(data, out, 2, "auto", "--resume"));
        assertEquals(other, JSON.readTree(out.resolve("train_summary.json").toFile()).path("dtype").asText());
        assertEquals(2, train(data, out, 2, chosen, "--resume"), "forcing another dtype on a resume is refused");
    }
}
