package dev.mathtune.report;

import dev.mathtune.io.AtomicFiles;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

import java.nio.file.Path;

/** Saves an XChart chart as a PNG file, atomically and without a display. */
public final class ChartFile {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ChartFile() {
    }

    /** Writes {@code chart} to {@code png}. */
    public static void savePng(Chart<?, ?> chart, Path png) {
        AtomicFiles.writeUnchecked(png, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    }
}
