package dev.mathtune.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import dev.mathtune.cli.RunCommand;

/**
 * {@code mathtune run} in a child JVM, killed (SIGKILL) after the first run is done and while the second trains,
 * then started again: every run finishes exactly once, the first is not touched again, the second resumes.
 */
class KillRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_MS = 240_000;

    @TempDir
    Path tmp;

    @Test
    void killedRunResumesAndFinishedRunsAreNotRedone() throws Exception {
        Path recipe = tmp.resolve("kill.yaml");
        Files.writeString(recipe, """
                # mathtune run kill.yaml
                name: kill
                models:
                  tiny: {preset: tiny, seed: 5}
                datasets:
                  train: {synthetic: {count: 16, level: 1, seed: 1}}
                  test: {synthetic: {count: 8, level: 1, seed: 2, held-out-from: train}}
                train: {batch-size: 4, max-length: 128, log-every: 100, lr: 1e-3, checkpoint-every: 2}
                eval:
                  sets:
                    synth: {dataset: test, max-new-tokens: 24}
                runs:
                  - {name: first, model: tiny, method: full, data: train, train: {max-steps: 3}}
                  - {name: second, model: tiny, method: full, data: train, train: {max-steps: 24}}
                """);
        Path out = tmp.resolve("out");
        Path first = out.resolve("runs/first");
        Path second = out.resolve("runs/second");
        String[] args = {recipe.toString(), "--out", out.toString(), "--cache", tmp.resolve("cache").toString(),
                "--threads", "1", "--no-report"};

        Process child = start(args, tmp.resolve("child.log"));
        try {
            awaitOrFail(child, () -> status(first).equals(RunStatus.DONE)
                    && (lines(second.resolve("train/metrics.jsonl")) >= 3 || status(second).equals(RunStatus.DONE)),
                    tmp.resolve("child.log"));
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        boolean killedMidRun = !status(second).equals(RunStatus.DONE);
        List<FileTime> firstTimes = times(first);
        String firstStatus = Files.readString(first.resolve(RunStatus.FILE));

        int rc = new CommandLine(new RunCommand()).execute(java.util.Arrays.copyOf(args, args.length - 1)); // with report
        assertEquals(0, rc, () -> "restart failed; child log:\n" + read(tmp.resolve("child.log")));

        assertEquals(firstTimes, times(first), "the finished run was touched again");
        assertEquals(firstStatus, Files.readString(first.resolve(RunStatus.FILE)));
        assertEquals(1, RunStatus.read(first).attempts());
        RunStatus s2 = RunStatus.read(second);
        assertTrue(s2.done());
        if (killedMidRun) {
            assertEquals(2, s2.attempts(), "the killed run was started again once");
        }
        for (Path run : List.of(first, second)) {
            assertEachIdOnce(run.resolve("eval/synth/predictions.jsonl"), 8);
            assertEquals(8, JSON.readTree(run.resolve("eval/synth/metrics.json").toFile()).path("accuracy").path("total").asInt());
        }
        assertEquals(24, JSON.readTree(second.resolve("train/train_summary.json").toFile()).path("steps").asInt());
        assertTrue(Files.isRegularFile(out.resolve("report.md")));
    }

    private static Process start(String[] args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-Xmx1g");
        cmd.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(RunCommand.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private static void awaitOrFail(Process child, BooleanSupplier condition, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (!child.isAlive()) {
                throw new AssertionError("child exited (" + child.exitValue() + ") too early:\n" + read(log));
            }
            if (System.currentTimeMillis() > deadline) throw new AssertionError("timed out; child log:\n" + read(log));
            Thread.sleep(50);
        }
    }

    private static String status(Path run) {
        return RunStatus.read(run).status();
    }

    private static long lines(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<FileTime> times(Path run) throws IOException {
        List<FileTime> t = new ArrayList<>();
        for (String f : List.of(RunStatus.FILE, "config.json", "train/train_summary.json", "eval/synth/metrics.json",
                "eval/synth/predictions.jsonl")) {
            t.add(Files.getLastModifiedTime(run.resolve(f)));
        }
        return t;
    }

    private static void assertEachIdOnce(Path predictions, int expected) throws IOException {
        Set<String> ids = new HashSet<>();
        List<String> rows = Files.readAllLines(predictions).stream().filter(l -> !l.isBlank()).toList();
        for (String row : rows) {
            String id = JSON.readTree(row).path("id").asText() + "#" + JSON.readTree(row).path("sample").asInt();
            assertTrue(ids.add(id), "id twice in " + predictions + ": " + id);
        }
        assertEquals(expected, rows.size(), predictions.toString());
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
