package dev.mathtune.bench;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bandwidth tensor follows STREAM's rule: four times the largest cache (read from sysfs), at least 1 GiB; a
 * reading gives both rates, and the bound takes the higher.
 */
class MemoryBandwidthTest {
    @Test
    void aReadingMeasuresSumSgemvAndXnnpackSeparately() {
        MemoryBandwidth.Reading r = MemoryBandwidth.measure(1L << 22);   // 16 MiB: a quick pass, not a measurement
        assertTrue(r.sumBytesPerSecond() > 1e8 && Double.isFinite(r.sumBytesPerSecond()), r.toString());
        assertTrue(r.matrixVectorBytesPerSecond() > 1e8 && Double.isFinite(r.matrixVectorBytesPerSecond()), r.toString());
        assertTrue(r.xnnpackBytesPerSecond() > 1e8 && Double.isFinite(r.xnnpackBytesPerSecond()), r.toString());
        assertEquals(Math.max(r.sumBytesPerSecond(), Math.max(r.matrixVectorBytesPerSecond(), r.xnnpackBytesPerSecond())),
                r.best());
        assertEquals(40e9, new MemoryBandwidth.Reading(25e9, 40e9, 30e9).best());
        assertEquals(45e9, new MemoryBandwidth.Reading(25e9, 40e9, 45e9).best());
    }

    @Test
    void theTensorIsFourTimesTheLargestCacheFromSysfs(@TempDir Path dir) throws Exception {
        String[][] caches = {{"index0", "48K"}, {"index1", "32K"}, {"index2", "2048K"}, {"index3", "266240K"}};
        for (String[] c : caches) {
            Files.createDirectories(dir.resolve(c[0]));
            Files.writeString(dir.resolve(c[0]).resolve("size"), c[1] + "\n");
        }
        assertEquals(266240L << 10, MemoryBandwidth.largestCacheBytes(dir));
        assertEquals(4 * (266240L << 10), MemoryBandwidth.bufferBytes(266240L << 10), "1040 MiB on this machine");
        assertEquals(1L << 30, MemoryBandwidth.bufferBytes(32L << 20), "small caches: 1 GiB");
        assertEquals(0, MemoryBandwidth.largestCacheBytes(dir.resolve("absent")));
        assertEquals(1L << 30, MemoryBandwidth.bufferBytes(0), "unknown cache: 1 GiB");
        assertEquals(260L << 20, MemoryBandwidth.parseSize("260M"));
        assertEquals(0, MemoryBandwidth.parseSize("lots"));
    }
}
