package dev.mathtune.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;
import dev.mathtune.report.MetricsLog;
import dev.mathtune.testing.ChildJvm;
import dev.mathtune.testing.TinyModels;

/**
 * A training child process is killed with SIGKILL after its first checkpoints; {@code --resume} finishes the run
 * and the final weights equal an uninterrupted run's (fp32, CPU, same thread count).
 */
public class ResumeTest {
    static final int STEPS = 40;

    static String[] args(Path data, Path out, boolean resume, String... extra) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--model", TinyModels.tiny().toString(),
                "--data", data.toString(), "--out", out.toString(), "--method", "lora", "--lora-dropout", "0.1",
                "--max-steps", String.valueOf(STEPS), "--batch-size", "4", "--grad-accum", "2", "--lr", "5e-3",
                "--checkpoint-every", "3", "--threads", "1", "--seed", "5"));
        a.addAll(List.of(extra));
        if (resume) a.add("--resume");
        return a.toArray(String[]::new);
    }

    @Test
    void killedRunResumesToTheSameWeights(@TempDir Path tmp) throws Exception {
        killAndResume(tmp, "--device", "cpu");
    }

    /** The test above with {@code extra} train options (e.g. the device), for the GPU test too. */
    public static void killAndResume(Path tmp, String... extra) throws Exception {
        Path data = TinyModels.problems(tmp, 2, 24, 3);
        Path straight = tmp.resolve("straight"), killed = tmp.resolve("killed");
        Process p = ChildJvm.start(tmp.resolve("straight.log"), args(data, straight, false, extra));
        assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, () -> log(tmp, "straight.log"));

        Process k = ChildJvm.start(tmp.resolve("killed.log"), args(data, killed, false, extra));
        Path state = killed.resolve("checkpoint/state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline && k.isAlive()
                && !(Files.exists(state) && Files.readString(state).contains("\"nextStep\":9"))) {
            Thread.sleep(20);
        }
        assertTrue(k.isAlive(), "the run finished before it could be killed: " + log(tmp, "killed.log"));
        k.destroyForcibly().waitFor(); // SIGKILL
        int doneBeforeKill = MetricsLog.read(killed.resolve("metrics.jsonl")).size();
        assertTrue(doneBeforeKill < STEPS, "killed mid-run");

        Process r = ChildJvm.start(tmp.resolve("resumed.log"), args(data, killed, true, extra));
        assertTrue(r.waitFor(300, TimeUnit.SECONDS) && r.exitValue() == 0, () -> log(tmp, "resumed.log"));
        assertTrue(log(tmp, "resumed.log").contains("resuming at step"));

        Map<String, SafetensorsEntry> a = Safetensors.read(straight.resolve("final/adapter_model.safetensors"));
        Map<String, SafetensorsEntry> b = Safetensors.read(killed.resolve("final/adapter_model.safetensors"));
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (String key : a.keySet()) {
            var x = a.get(key).data().asFloatBuffer();
            var y = b.get(key).data().asFloatBuffer();
            for (int i = 0; i < x.remaining(); i++) worst = Math.max(worst, Math.abs(x.get(i) - y.get(i)));
        }
        assertTrue(worst <= 1e-6, "max |Δ| between resumed and uninterrupted weights: " + worst);
    }

    private static String log(Path tmp, String name) {
        try {
            return Files.readString(tmp.resolve(name));
        } catch (Exception e) {
            return "(no log)";
        }
    }
}
