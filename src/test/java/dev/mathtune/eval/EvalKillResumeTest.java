package dev.mathtune.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.testing.ChildJvm;
import dev.mathtune.testing.Golden;
import dev.mathtune.testing.TinyModels;

/** {@code mathtune eval} killed with SIGKILL mid-run and started again: every item appears exactly once. */
class EvalKillResumeTest {

    @Test
    void killedEvalResumesWithEveryItemOnce(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("eval");
        String[] args = {"eval", "--model", TinyModels.tiny().toString(), "--data",
                Golden.shared().resolve("data/gsm8k/test.jsonl").toString(), "--limit", "40", "--prompt", "sft",
                "--max-new-tokens", "48", "--batch-size", "2", "--chunk-size", "2", "--threads", "1", "--out", out.toString()};
        Process p = ChildJvm.start(tmp.resolve("first.log"), args);
        Path preds = out.resolve("predictions.jsonl");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline && p.isAlive() && lines(preds) < 6) Thread.sleep(20);
        assertTrue(p.isAlive(), "eval finished before it could be killed: " + Files.readString(tmp.resolve("first.log")));
        p.destroyForcibly().waitFor(); // SIGKILL
        int before = lines(preds);
        assertTrue(before < 40);

        Process r = ChildJvm.start(tmp.resolve("second.log"), args);
        assertTrue(r.waitFor(240, TimeUnit.SECONDS) && r.exitValue() == 0, () -> read(tmp.resolve("second.log")));
        Map<String, Integer> seen = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(preds)) seen.merge(json.readTree(line).get("id").asText(), 1, Integer::sum);
        assertEquals(40, seen.size());
        assertTrue(seen.values().stream().allMatch(n -> n == 1), seen.toString());
        assertTrue(Files.isRegularFile(out.resolve("metrics.json")));
    }

    private static int lines(Path f) throws Exception {
        return Files.exists(f) ? (int) Files.readAllLines(f).stream().filter(l -> l.endsWith("}")).count() : 0;
    }

    private static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (Exception e) {
            return "";
        }
    }
}
