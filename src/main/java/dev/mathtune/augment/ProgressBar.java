package dev.mathtune.augment;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on a terminal stream ({@code \r}-redrawn at most every 200 ms): done/total items,
 * items per second over this session, and the ETA. A {@code null} stream makes it silent.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long startDone;
    private final long startNanos = System.nanoTime();
    private long done;
    private long lastDrawNanos;

    public ProgressBar(PrintStream out, String label, long total, long alreadyDone) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.startDone = alreadyDone;
        this.done = alreadyDone;
    }

    /** Counts {@code n} more finished items and redraws if due. */
    public void advance(long n) {
        done += n;
        long now = System.nanoTime();
        if (now - lastDrawNanos > 200_000_000L || done >= total) {
            lastDrawNanos = now;
            draw(now);
        }
    }

    /** Draws the final state and ends the line. */
    public void finish() {
        draw(System.nanoTime());
        if (out != null) {
            out.println();
        }
    }

    private void draw(long now) {
        if (out == null) {
            return;
        }
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (done - startDone) / seconds;
        int filled = total == 0 ? WIDTH : (int) (WIDTH * Math.min(1.0, done / (double) total));
        String eta = rate > 0 ? clock((long) ((total - done) / rate)) : "--:--";
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d items  %.2f it/s  ETA %s", label,
                "#".repeat(filled), " ".repeat(WIDTH - filled), done, total, rate, eta));
        out.flush();
    }

    private static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%02d:%02d", seconds / 60, seconds % 60);
    }
}
