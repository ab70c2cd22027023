package dev.mathtune.eval;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a run on stderr, at most one line every {@code intervalSeconds}: rows done of total, rows/s and
 * completion tokens/s since this invocation started, and ETA = remaining rows / (rows/s).
 */
public final class ProgressMeter {
    private final PrintStream out;
    private final int total;
    private final int alreadyDone;
    private final long intervalNanos;
    private final long startNanos = System.nanoTime();
    private long lastPrint = startNanos;
    private int done;
    private long tokens;

    public ProgressMeter(PrintStream out, int total, int alreadyDone, double intervalSeconds) {
        this.out = out;
        this.total = total;
        this.alreadyDone = alreadyDone;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    /** Counts one finished row of {@code completionTokens} tokens; prints if the interval has passed. */
    public synchronized void record(int completionTokens) {
        done++;
        tokens += completionTokens;
        long now = System.nanoTime();
        if (now - lastPrint >= intervalNanos) {
            lastPrint = now;
            out.println(line());
        }
    }

    /** Completion tokens generated since this meter started. */
    public synchronized long tokens() {
        return tokens;
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The current progress line, e.g. {@code "eval: 120/1319 (9.1%), 3.20 rows/s, 850 tok/s, ETA 6m15s"}. */
    public synchronized String line() {
        double seconds = Math.max(1e-9, elapsedSeconds());
        double rate = done / seconds;
        int finished = alreadyDone + done;
        int left = total - finished;
        String eta = rate > 0 ? duration(left / rate) : "?";
        return String.format(Locale.ROOT, "eval: %d/%d (%.1f%%), %.2f rows/s, %.0f tok/s, ETA %s", finished, total,
                total == 0 ? 100.0 : 100.0 * finished / total, rate, tokens / seconds, eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
