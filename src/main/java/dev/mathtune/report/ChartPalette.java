package dev.mathtune.report;

import java.awt.Color;

/** The colours of the report's charts: a colour-blind-safe qualitative palette (Okabe and Ito) and its tints. */
public final class ChartPalette {
    private static final Color[] COLORS = {
            new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115), new Color(204, 121, 167),
            new Color(213, 94, 0), new Color(86, 180, 233), new Color(120, 120, 120), new Color(240, 228, 66)};

    private ChartPalette() {
    }

    /** The {@code i}-th colour, cycling. */
    public static Color color(int i) {
        return COLORS[Math.floorMod(i, COLORS.length)];
    }

    /** The {@code i}-th colour mixed with white: {@code 0} is the colour, {@code 1} white. */
    public static Color tint(int i, double white) {
        Color c = color(i);
        return new Color(mix(c.getRed(), white), mix(c.getGreen(), white), mix(c.getBlue(), white));
    }

    /** The {@code i}-th colour with the given opacity (0 to 255). */
    public static Color translucent(int i, int alpha) {
        Color c = color(i);
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha);
    }

    private static int mix(int channel, double white) {
        return (int) Math.round(channel + (255 - channel) * white);
    }
}
