package dev.mathtune.report;

import java.util.Locale;

/** Formats counts, bytes, durations and fractions the way a person reads them in a table. */
public final class HumanUnits {
    private HumanUnits() {
    }

    /** A count with a K/M/B suffix: {@code 494032768 -> "494.0M"}, {@code 4399104 -> "4.4M"}, {@code 812 -> "812"}. */
    public static String count(long value) {
        double v = Math.abs(value);
        String sign = value < 0 ? "-" : "";
        if (v >= 1e9) {
            return sign + String.format(Locale.ROOT, "%.1fB", v / 1e9);
        }
        if (v >= 1e6) {
            return sign + String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e3) {
            return sign + String.format(Locale.ROOT, "%.1fK", v / 1e3);
        }
        return Long.toString(value);
    }

    /** Bytes in binary units: {@code "12.3 GiB"}, {@code "512 B"}; {@code "—"} for 0 (unknown). */
    public static String bytes(long value) {
        if (value <= 0) {
            return "—";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = value;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? value + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** A duration: {@code "42.0 s"}, {@code "3 min 12 s"}, {@code "2 h 05 min"}; {@code "—"} for 0. */
    public static String duration(double seconds) {
        if (seconds <= 0) {
            return "—";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** A fraction as a percentage with two decimals: {@code 0.3427 -> "34.27"}. */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f", 100 * fraction);
    }
}
