package dev.mathtune.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A training log in JSON lines: {@link #append} writes one {@link MetricsRow} per line and flushes it, so a
 * crash loses at most the line being written; {@link #read} reads a log back, skipping a torn last line.
 */
public final class MetricsLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final BufferedWriter out;

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Opens {@code file} for appending, creating it and its folders if needed. */
    public static MetricsLog open(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /** Appends one row as one line and flushes it. */
    public synchronized void append(MetricsRow row) {
        ObjectNode node = JSON.createObjectNode().put("step", row.step());
        putFinite(node, "loss", row.loss());
        putFinite(node, "lr", row.lr());
        putFinite(node, "grad_norm", row.gradNorm());
        putFinite(node, "tokens_per_s", row.tokensPerS());
        putFinite(node, "elapsed_s", row.elapsedS());
        try {
            out.write(JSON.writeValueAsString(node));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    /** Reads all rows of a log; a last line cut short by a crash is skipped, any other bad line is an error. */
    public static List<MetricsRow> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<MetricsRow> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                rows.add(row(JSON.readTree(lines.get(i))));
            } catch (IOException | RuntimeException e) {
                if (i < lines.size() - 1) {
                    throw new IllegalArgumentException(file + ":" + (i + 1) + ": not a metrics row: " + e.getMessage(), e);
                }
            }
        }
        return rows;
    }

    private static MetricsRow row(JsonNode n) {
        if (!n.has("step")) {
            throw new IllegalArgumentException("field 'step' missing");
        }
        return new MetricsRow(n.get("step").asLong(), number(n, "loss"), number(n, "lr"), number(n, "grad_norm"),
                number(n, "tokens_per_s"), number(n, "elapsed_s"));
    }

    private static double number(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    private static void putFinite(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, value);
        }
    }
}
