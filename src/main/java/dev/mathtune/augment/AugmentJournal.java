package dev.mathtune.augment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The progress journal of a run: a header line holding the spec fingerprint, then one JSON line per finished
 * work item (its key, outcome, counts and {@code out_bytes}, the output file's valid length after its rows),
 * appended and flushed after the item's rows. On open, a torn last line (no newline, or not JSON) is cut off,
 * and a journal written under a different spec is refused.
 */
public final class AugmentJournal implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORMAT = "mathtune-augment-journal/1";

    private final List<JsonNode> records;
    private final boolean resumed;
    private final JsonlAppender appender;

    private AugmentJournal(List<JsonNode> records, boolean resumed, JsonlAppender appender) {
        this.records = records;
        this.resumed = resumed;
        this.appender = appender;
    }

    /** Opens (or creates) the journal at {@code file} for a run with this spec fingerprint. */
    public static AugmentJournal open(Path file, ObjectNode fingerprint) throws IOException {
        if (!Files.exists(file) || Files.size(file) == 0) {
            JsonlAppender appender = JsonlAppender.open(file, 0);
            ObjectNode header = JSON.createObjectNode().put("journal", FORMAT);
            header.set("spec", fingerprint);
            appender.append(JSON.writeValueAsString(header));
            return new AugmentJournal(new ArrayList<>(), false, appender);
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        String[] lines = text.substring(0, text.lastIndexOf('\n') + 1).split("\n", -1);
        List<JsonNode> records = new ArrayList<>();
        long valid = 0;
        for (int i = 0; i < lines.length - 1; i++) {
            JsonNode node = parse(lines[i]);
            if (node == null && i == lines.length - 2) {
                break;
            }
            if (node == null) {
                throw UserError.atLine(file, i + 1, null, "progress journal line is not JSON; delete the journal and output to start over");
            }
            if (i == 0) {
                checkHeader(file, node, fingerprint);
            } else {
                records.add(node);
            }
            valid += (lines[i] + "\n").getBytes(StandardCharsets.UTF_8).length;
        }
        if (valid == 0) {
            throw UserError.inFile(file, "progress journal has no header; delete it to start over");
        }
        return new AugmentJournal(records, true, JsonlAppender.open(file, valid));
    }

    private static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void checkHeader(Path file, JsonNode header, ObjectNode fingerprint) {
        if (!FORMAT.equals(header.path("journal").asText())) {
            throw UserError.atLine(file, 1, "journal", "not a mathtune augment progress journal");
        }
        JsonNode expected;
        try {
            expected = JSON.readTree(JSON.writeValueAsString(fingerprint));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        if (!header.path("spec").equals(expected)) {
            throw UserError.inFile(file, "was written by a run with different settings (" + header.path("spec")
                    + "; now " + fingerprint + "); use another --out or delete the output, journal and summary");
        }
    }

    /** The finished-item records read at open, in the order they were written. */
    public List<JsonNode> records() {
        return List.copyOf(records);
    }

    /** Whether the journal existed (with a header) before this open. */
    public boolean resumed() {
        return resumed;
    }

    /** The output's valid length: {@code out_bytes} of the last record, or 0. */
    public long outBytes() {
        return records.isEmpty() ? 0 : records.get(records.size() - 1).path("out_bytes").asLong();
    }

    /** Appends one finished-item record and flushes it. */
    public void append(ObjectNode record) throws IOException {
        appender.append(JSON.writeValueAsString(record));
    }

    @Override
    public void close() throws IOException {
        appender.close();
    }
}
