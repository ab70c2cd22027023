package dev.mathtune.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The append-only {@code predictions.jsonl} of a run. Opening it reads the rows already there (a resumed run),
 * truncating a torn last line left by a crash; {@link #append} then writes each new row as one line, flushed at
 * once, from any thread, and refuses a second row for the same (id, sample).
 */
public final class PredictionLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final List<PredictionRow> rows = new ArrayList<>();
    private final Set<PredictionRow.Key> keys = new HashSet<>();
    private final BufferedWriter out;
    private final int repairedBytes;

    private PredictionLog(Path file, List<PredictionRow> existing, int repairedBytes) throws IOException {
        this.file = file;
        this.repairedBytes = repairedBytes;
        existing.forEach(r -> {
            if (keys.add(r.key())) {
                rows.add(r);
            }
        });
        this.out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
    }

    /** Opens (creating if needed) {@code file}, reading its rows and cutting off a torn last line. */
    public static PredictionLog open(Path file) {
        try {
            List<PredictionRow> existing = new ArrayList<>();
            int repaired = Files.exists(file) ? readAndRepair(file, existing) : 0;
            return new PredictionLog(file, existing, repaired);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + file, e);
        }
    }

    /**
     * Parses every complete line into {@code into}, streaming. A last line that is unterminated or unparsable is
     * torn: the file is truncated to the end of the line before it. Returns the number of bytes cut off.
     */
    private static int readAndRepair(Path file, List<PredictionRow> into) throws IOException {
        long size = Files.size(file);
        long start = 0;
        long line = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    buffer.write(b);
                    continue;
                }
                line++;
                long next = start + buffer.size() + 1;
                String text = buffer.toString(StandardCharsets.UTF_8);
                buffer.reset();
                PredictionRow row = text.isBlank() ? null : parse(text);
                if (row == null && !text.isBlank()) {
                    if (next < size) {
                        throw UserError.atLine(file, line, null, "not a prediction row; fix or delete the file to restart");
                    }
                    break;
                }
                if (row != null) {
                    into.add(row.withoutText());
                }
                start = next;
            }
        }
        if (start < size) {
            truncate(file, start);
        }
        return (int) Math.min(Integer.MAX_VALUE, size - start);
    }

    private static PredictionRow parse(String text) {
        try {
            PredictionRow row = JSON.readValue(text, PredictionRow.class);
            return row.id() == null ? null : row;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void truncate(Path file, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(length);
            ch.force(true);
        }
    }

    /** Bytes of a torn last line that opening cut off (0 when the file was whole). */
    public int repairedBytes() {
        return repairedBytes;
    }

    public synchronized boolean contains(PredictionRow.Key key) {
        return keys.contains(key);
    }

    /** Appends {@code row} as one flushed line; {@code false} (and nothing written) if its key is already there. */
    public synchronized boolean append(PredictionRow row) {
        if (!keys.add(row.key())) {
            return false;
        }
        try {
            out.write(JSON.writeValueAsString(row));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            keys.remove(row.key());
            throw new UncheckedIOException("cannot append to " + file, e);
        }
        rows.add(row.withoutText());
        return true;
    }

    /**
     * A snapshot of every row, those read at open then those appended, without prompt and completion text
     * (kept out of memory; they are on disk).
     */
    public synchronized List<PredictionRow> rows() {
        return List.copyOf(rows);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
