package dev.mathtune.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code mathtune ARGS} in a child JVM with this test JVM's classpath, for kill-and-resume tests. */
public final class ChildJvm {
    private ChildJvm() {
    }

    public static Process start(Path log, String... args) throws IOException {
        return start(log, java.util.Map.of(), args);
    }

    /** As {@link #start(Path, String...)}, with {@code env} added to the child's environment. */
    public static Process start(Path log, java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx2g");
        cmd.add("-Dorg.bytedeco.javacpp.maxPhysicalBytes=0");
        // the CUDA build's tests (mvn -Pcuda) find the system's CUDA libraries first; the child too
        if (Boolean.getBoolean("org.bytedeco.javacpp.pathsFirst")) cmd.add("-Dorg.bytedeco.javacpp.pathsFirst=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.mathtune.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().putAll(env);
        return pb.start();
    }
}
