package dev.mathtune.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A benchmark's child JVM gets the launcher's full glibc tunables, not the first one glibc left in the environment. */
class ChildProcessTest {
    @Test
    void theLaunchersCopyOfTheTunablesReplacesTheTruncatedVariable() {
        Map<String, String> env = new HashMap<>(Map.of(
                "GLIBC_TUNABLES", "glibc.malloc.arena_max=1",
                "MATHTUNE_GLIBC_TUNABLES", "glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.hugetlb=1",
                "OMP_WAIT_POLICY", "ACTIVE"));
        ChildProcess.prepare(env);
        assertEquals("glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0:glibc.malloc.hugetlb=1", env.get("GLIBC_TUNABLES"));
        assertEquals("ACTIVE", env.get("OMP_WAIT_POLICY"), "the parent's policy is kept");
    }

    @Test
    void withoutTheLauncherTheEnvironmentIsLeftAsItIs() {
        Map<String, String> env = new HashMap<>(Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"));
        ChildProcess.prepare(env);
        assertEquals("glibc.malloc.arena_max=2", env.get("GLIBC_TUNABLES"));
        assertEquals("PASSIVE", env.get("OMP_WAIT_POLICY"));
    }
}
