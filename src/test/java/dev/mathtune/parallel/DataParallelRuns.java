package dev.mathtune.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;
import dev.mathtune.testing.ChildJvm;
import dev.mathtune.testing.TinyModels;

/** Training runs of the tiny model in child JVMs, one process or {@code --nproc-per-node N}, and their results. */
final class DataParallelRuns {
    static final int STEPS = 20;

    private DataParallelRuns() {
    }

    /**
     * {@code mathtune train} arguments: STEPS steps of {@code method} on {@code data}, one intra-op thread per
     * process, no dropout (fp32, deterministic), global batch = {@code batch} × {@code workers}.
     */
    static List<String> args(String method, Path data, Path out, int workers, int batch, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--model", TinyModels.tiny().toString(), "--data",
                data.toString(), "--out", out.toString(), "--method", method, "--lora-dropout", "0",
                "--max-steps", String.valueOf(STEPS), "--batch-size", String.valueOf(batch), "--lr", "5e-3",
                "--max-length", "96", "--threads", "1", "--seed", "5", "--nproc-per-node", String.valueOf(workers),
                "--dist-timeout", "30"));
        a.addAll(List.of(extra));
        return a;
    }

    /** Runs {@code args} to the end (at most five minutes) and returns its log; fails the test on a non-zero exit. */
    static String finish(Path log, List<String> args) throws IOException, InterruptedException {
        Process p = ChildJvm.start(log, args.toArray(String[]::new));
        boolean done = p.waitFor(300, TimeUnit.SECONDS);
        if (!done) p.destroyForcibly().waitFor();
        String text = Files.readString(log);
        assertTrue(done && p.exitValue() == 0, () -> "mathtune " + String.join(" ", args) + " failed:\n" + text);
        return text;
    }

    /** Largest |a − b| over every tensor of every safetensors file in two {@code final/} directories. */
    static double maxAbsDiff(Path a, Path b) throws IOException {
        Map<String, SafetensorsEntry> x = tensors(a.resolve("final")), y = tensors(b.resolve("final"));
        assertEquals(x.keySet(), y.keySet());
        assertTrue(!x.isEmpty(), "no tensors in " + a);
        double worst = 0;
        for (String key : x.keySet()) {
            FloatBuffer u = x.get(key).data().asFloatBuffer(), v = y.get(key).data().asFloatBuffer();
            assertEquals(u.remaining(), v.remaining(), key);
            for (int i = 0; i < u.remaining(); i++) worst = Math.max(worst, Math.abs(u.get(i) - v.get(i)));
        }
        return worst;
    }

    private static Map<String, SafetensorsEntry> tensors(Path dir) throws IOException {
        Map<String, SafetensorsEntry> all = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".safetensors")).sorted().toList()) {
                Safetensors.read(f).forEach((k, v) -> all.put(f.getFileName() + ":" + k, v));
            }
        }
        return all;
    }
}
