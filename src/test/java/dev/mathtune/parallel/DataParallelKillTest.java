package dev.mathtune.parallel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.io.FileTrees;
import dev.mathtune.testing.ChildJvm;
import dev.mathtune.testing.TinyModels;

/**
 * A two-worker LoRA run loses rank 1 to SIGKILL after its first checkpoints: rank 0 stops within the collective
 * timeout with an error naming rank 1, the launcher names it too, and the checkpoint stays. {@code --resume} with
 * two workers, and with one process at the same global batch (4 × 2 accumulation), finishes with the weights of an
 * uninterrupted two-worker run.
 */
class DataParallelKillTest {
    static final int TIMEOUT_S = 30;

    @Test
    void killedWorkerStopsTheOtherAndEitherWorldSizeResumes(@TempDir Path tmp) throws Exception {
        Path data = TinyModels.problems(tmp, 1, 48, 3);
        Path straight = tmp.resolve("straight"), killed = tmp.resolve("killed");
        DataParallelRuns.finish(tmp.resolve("straight.log"), DataParallelRuns.args("lora", data, straight, 2, 4));

        List<String> run = DataParallelRuns.args("lora", data, killed, 2, 4, "--checkpoint-every", "2");
        Path log = tmp.resolve("killed.log");
        Process launcher = ChildJvm.start(log, run.toArray(String[]::new));
        Path state = killed.resolve("checkpoint/state.json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (System.nanoTime() < deadline && launcher.isAlive()
                && !(Files.exists(state) && Files.readString(state).contains("\"nextStep\":6"))) {
            Thread.sleep(20);
        }
        assertTrue(launcher.isAlive(), "the run finished before it could be killed: " + Files.readString(log));
        Matcher pid = Pattern.compile("rank 1 of 2 started \\(pid (\\d+)\\)").matcher(Files.readString(log));
        assertTrue(pid.find(), Files.readString(log));
        ProcessHandle rank1 = ProcessHandle.of(Long.parseLong(pid.group(1))).orElseThrow();
        long killedAt = System.nanoTime();
        rank1.destroyForcibly(); // SIGKILL
        assertTrue(launcher.waitFor(TIMEOUT_S + 60, TimeUnit.SECONDS), "still running after the timeout");
        double stoppedAfter = (System.nanoTime() - killedAt) / 1e9;
        String text = Files.readString(log);
        assertEquals(1, launcher.exitValue(), text);
        assertTrue(text.contains("mathtune: rank 1 was killed by signal 9"), text);
        assertTrue(text.contains("rank 1 stopped answering"), "rank 0's error names rank 1:\n" + text);
        assertTrue(stoppedAfter < TIMEOUT_S, "rank 0 stopped " + stoppedAfter + " s after the kill");
        assertTrue(Files.readString(state).matches(".*\"nextStep\":([6-9]|1[0-9]).*"), "checkpoint kept");

        Path kept = tmp.resolve("kept"); // the killed run as it stopped, for the second resume (same --out)
        copyTree(killed, kept);
        String resumed = DataParallelRuns.finish(tmp.resolve("resumed.log"),
                DataParallelRuns.args("lora", data, killed, 2, 4, "--checkpoint-every", "2", "--resume"));
        assertTrue(resumed.contains("resuming at step"), resumed);
        double same = DataParallelRuns.maxAbsDiff(straight, killed);
        assertTrue(same <= 1e-6, "two workers resumed vs uninterrupted: max |Δ| " + same);

        FileTrees.delete(killed);
        Files.move(kept, killed);
        String single = DataParallelRuns.finish(tmp.resolve("alone.log"),
                DataParallelRuns.args("lora", data, killed, 1, 4, "--grad-accum", "2", "--checkpoint-every", "2", "--resume"));
        assertTrue(single.contains("resuming at step"), single);
        double one = DataParallelRuns.maxAbsDiff(straight, killed);
        assertTrue(one <= 1e-5, "one process resumed vs two uninterrupted: max |Δ| " + one);
    }

    private static void copyTree(Path from, Path to) throws java.io.IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) Files.copy(p, to.resolve(from.relativize(p).toString()));
        }
    }
}
