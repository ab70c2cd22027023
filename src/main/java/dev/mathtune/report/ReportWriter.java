package dev.mathtune.report;

import dev.mathtune.io.AtomicFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes the study's report into a folder: {@code report.md} (header facts, the results table with the
 * study's numbers beside ours, the charts), {@code results.csv}, {@code accuracy.png} and, when training
 * logs are given, {@code loss.png}. Every file is written atomically.
 */
public final class ReportWriter {
    private ReportWriter() {
    }

    /**
     * Writes the report.
     *
     * @param dir        the output folder, created if needed
     * @param title      the report's title
     * @param facts      header lines, label to value, in order (date, machine, commit...); passed in, so the
     *                   output is reproducible
     * @param rows       the results, in table order
     * @param lossCurves run label to its {@code metrics.jsonl}; empty for no loss chart
     */
    public static ReportFiles write(Path dir, String title, Map<String, String> facts, List<ResultRow> rows,
                                    Map<String, Path> lossCurves) {
        Path csv = dir.resolve("results.csv");
        Path accuracy = dir.resolve("accuracy.png");
        Path loss = lossCurves.isEmpty() ? null : dir.resolve("loss.png");
        ResultsCsv.write(csv, rows);
        AccuracyChart.draw(rows, title + ": accuracy", accuracy);
        if (loss != null) {
            LossCurvePlot.drawFiles(lossCurves, title + ": training loss", loss);
        }
        Path markdown = dir.resolve("report.md");
        AtomicFiles.writeStringUnchecked(markdown, ReportMarkdown.render(title, facts, rows, loss != null));
        return new ReportFiles(markdown, csv, accuracy, loss);
    }
}
