package dev.mathtune.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

/**
 * Runs {@code mathtune ARGS} in a fresh JVM (same java, classpath and memory flags) and parses its JSON output;
 * benchmarks use it so each measurement's peak RSS is its own.
 */
final class ChildProcess {
    private ChildProcess() {
    }

    /**
     * A child's environment: the launcher's full {@code GLIBC_TUNABLES} (glibc applies all of them in this process
     * but leaves only the first in its environment, so without the launcher's copy a child would run with only
     * {@code glibc.malloc.arena_max=1}), and the passive OpenMP policy unless one is set.
     */
    static void prepare(Map<String, String> env) {
        String tunables = env.get("MATHTUNE_GLIBC_TUNABLES");
        if (tunables != null && !tunables.isEmpty()) env.put("GLIBC_TUNABLES", tunables);
        env.putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
    }

    /** The command line that runs {@code mathtune ARGS} in a fresh JVM with this one's java, classpath and flags. */
    static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-X") || a.startsWith("-D") || a.startsWith("--enable-native-access")) cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    static Map<String, Object> runJson(String... args) throws IOException, InterruptedException {
        return JsonOut.MAPPER.readValue(run(Map.of(), args), new TypeReference<Map<String, Object>>() { });
    }

    /**
     * The OpenMP wait policy the launcher gives the decoding commands (generate, serve, eval, augment, bench generate):
     * workers spin for a while between parallel regions (docs/DESIGN.md, "Threads").
     */
    static final Map<String, String> DECODING_OPENMP = Map.of("OMP_WAIT_POLICY", "ACTIVE", "GOMP_SPINCOUNT", "300000");

    /** As {@link #runJson}, for a child that prints a JSON array, with {@code env} added to its environment. */
    static List<Map<String, Object>> runJsonList(Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        return JsonOut.MAPPER.readValue(run(env, args), new TypeReference<List<Map<String, Object>>>() { });
    }

    private static byte[] run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command(List.of(args))).redirectError(ProcessBuilder.Redirect.INHERIT);
        prepare(pb.environment());
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException("child 'mathtune " + String.join(" ", args) + "' exited with " + rc);
        return out;
    }

    /** As {@link #runJson}, for {@code workers} data-parallel workers (see {@link LocalLauncher}): rank 0's JSON. */
    static Map<String, Object> runWorkersJson(int workers, List<String> args, java.time.Duration timeout)
            throws IOException, InterruptedException {
        java.io.ByteArrayOutputStream rankZero = new java.io.ByteArrayOutputStream();
        int rc = LocalLauncher.await(LocalLauncher.start(workers, args, rankZero, System.err), timeout.plusSeconds(30), System.err);
        byte[] out = rankZero.toByteArray();
        if (rc != 0) throw new IllegalStateException("workers of 'mathtune " + String.join(" ", args) + "' exited with " + rc);
        return JsonOut.MAPPER.readValue(out, new TypeReference<Map<String, Object>>() { });
    }
}
