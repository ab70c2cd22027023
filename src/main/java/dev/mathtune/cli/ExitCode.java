package dev.mathtune.cli;

/** Named process exit codes of the {@code mathtune} command. */
public final class ExitCode {
    /** Success. */
    public static final int OK = 0;
    /** A run finished but something in it failed (e.g. one run of a grid, a NaN loss). */
    public static final int FAILED = 1;
    /** Bad input: a missing or malformed file, a bad field, an unsupported config feature. */
    public static final int BAD_INPUT = 2;
    /** Bad command-line usage (unknown option, missing value). */
    public static final int USAGE = 64;
    /** A bug: an unexpected exception. */
    public static final int INTERNAL = 70;

    private ExitCode() {
    }
}
