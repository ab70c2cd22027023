package dev.mathtune.io.hub;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Download progress on one line of a stream (normally stderr): bytes done of total, rate and time left, redrawn at
 * most twice a second, with a final line when done.
 */
final class ProgressMeter {
    private static final long REDRAW_NANOS = 500_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final long start;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastDraw;

    /** A meter for {@code label}, {@code total} bytes ({@code -1} when unknown), {@code start} bytes already there. */
    ProgressMeter(PrintStream out, String label, long total, long start) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.start = start;
        this.done = start;
    }

    /** Records {@code n} more bytes and redraws when due. */
    void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (out != null && now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            out.print("\r" + line(now) + "   ");
            out.flush();
        }
    }

    /** Draws the final line. */
    void finish() {
        if (out != null) {
            out.println("\r" + line(System.nanoTime()) + "   ");
        }
    }

    private String line(long now) {
        double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
        double rate = (done - start) / seconds;
        StringBuilder s = new StringBuilder(label).append(": ").append(bytes(done));
        if (total >= 0) {
            s.append(" / ").append(bytes(total))
                    .append(String.format(Locale.ROOT, " (%.0f%%)", total == 0 ? 100.0 : 100.0 * done / total));
        }
        s.append(", ").append(bytes((long) rate)).append("/s");
        if (total > done && rate > 0) {
            s.append(", ETA ").append(duration((long) ((total - done) / rate)));
        }
        return s.toString();
    }

    static String bytes(long n) {
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds / 60 % 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
