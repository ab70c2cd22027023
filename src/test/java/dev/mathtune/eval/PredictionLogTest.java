package dev.mathtune.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictionLogTest {
    @TempDir
    Path tmp;

    static PredictionRow row(String id, int sample) {
        return new PredictionRow(id, sample, "p\n\"q\"", "c", "1", "last number", "1", true, "numeric", true, 3, 0.1, "stop");
    }

    @Test
    void concurrentAppendsGiveOneWholeLineEachAndRefuseRepeats() throws Exception {
        Path file = tmp.resolve("p.jsonl");
        try (PredictionLog log = PredictionLog.open(file)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            IntStream.range(0, 400).forEach(i -> pool.submit(() -> log.append(row("id" + (i % 200), 0))));
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            assertFalse(log.append(row("id7", 0)));
            assertEquals(200, log.rows().size());
            assertNull(log.rows().get(0).prompt(), "text stays on disk only");
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(200, lines.size());
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            assertEquals("p\n\"q\"", json.readValue(line, PredictionRow.class).prompt());
        }
    }

    @Test
    void unterminatedLastLineIsCutEvenIfItParses() throws Exception {
        Path file = tmp.resolve("p.jsonl");
        try (PredictionLog log = PredictionLog.open(file)) {
            log.append(row("a", 0));
            log.append(row("b", 0));
        }
        String whole = Files.readString(file);
        Files.writeString(file, whole.substring(0, whole.length() - 1));
        try (PredictionLog log = PredictionLog.open(file)) {
            assertEquals(List.of("a"), log.rows().stream().map(PredictionRow::id).toList());
            assertEquals(whole.length() - 1 - whole.indexOf('\n') - 1, log.repairedBytes());
            assertTrue(log.append(row("b", 0)));
        }
        assertEquals(whole, Files.readString(file));
        try (PredictionLog log = PredictionLog.open(file)) {
            assertEquals(0, log.repairedBytes());
            assertEquals(2, log.rows().size());
        }
    }
}
