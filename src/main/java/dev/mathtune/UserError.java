package dev.mathtune;

import java.nio.file.Path;

/**
 * An error caused by the user's input (a file, a field, a flag), reported as one line without a stack trace.
 * The message names the file and, where known, the line and field: {@code "FILE:LINE: field 'x': problem"}.
 */
public class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) {
        this(message, null);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
        this.exitCode = 2;
    }

    /** An error about a file: {@code "path: problem"}. */
    public static UserError inFile(Path file, String problem) {
        return new UserError(file + ": " + problem);
    }

    /** An error about a line and field of a file: {@code "path:line: field 'f': problem"}. */
    public static UserError atLine(Path file, long line, String field, String problem) {
        return new UserError(file + ":" + line + ": " + (field == null ? "" : "field '" + field + "': ") + problem);
    }

    /** Exit code for the CLI ({@code 2}, bad input). */
    public int exitCode() {
        return exitCode;
    }
}
