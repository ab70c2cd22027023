package dev.mathtune.augment;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An append-only JSON Lines file that is flushed after every line and knows its length in bytes, so that a
 * journal can record how far it is valid; opening it cuts off anything past that point (a torn last line, or
 * rows of an item whose completion was never journaled).
 */
public final class JsonlAppender implements Closeable {
    private final OutputStream out;
    private long position;

    private JsonlAppender(OutputStream out, long position) {
        this.out = out;
        this.position = position;
    }

    /** Opens {@code file} for appending after truncating it to {@code validBytes} (creating it if missing). */
    public static JsonlAppender open(Path file, long validBytes) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (ch.size() < validBytes) {
                throw new IllegalStateException(file + " is shorter (" + ch.size() + " bytes) than recorded ("
                        + validBytes + ")");
            }
            ch.truncate(validBytes);
        }
        return new JsonlAppender(Files.newOutputStream(file, StandardOpenOption.APPEND), validBytes);
    }

    /** Writes one line (a newline is added) and flushes it. */
    public void append(String jsonLine) throws IOException {
        if (jsonLine.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a JSONL line cannot contain a newline");
        }
        byte[] bytes = (jsonLine + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        position += bytes.length;
    }

    /** The file's length after everything appended so far. */
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
