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

    static Map<String, Object> runJson(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-X") || a.startsWith("-D") || a.startsWith("--enable-native-access")) cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().putIfAbsent("OMP_WAIT_POLICY", "PASSIVE");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        int rc = p.waitFor();
        if (rc != 0) throw new IllegalStateException("child 'mathtune " + String.join(" ", args) + "' exited with " + rc);
        return JsonOut.MAPPER.readValue(out, new TypeReference<Map<String, Object>>() { });
    }
}
