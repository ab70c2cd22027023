package dev.mathtune.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident-set sizes of this process from {@code /proc/self/status} (Linux); -1 where unavailable. */
public final class PeakMemory {
    private PeakMemory() {
    }

    /** Peak RSS ({@code VmHWM}) in bytes. */
    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    /** Current RSS ({@code VmRSS}) in bytes. */
    public static long rssBytes() {
        return field("VmRSS:");
    }

    private static long field(String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
