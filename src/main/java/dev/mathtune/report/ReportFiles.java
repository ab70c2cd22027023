package dev.mathtune.report;

import java.nio.file.Path;

/**
 * The files of a written report.
 *
 * @param markdown      {@code report.md}
 * @param csv           {@code results.csv}
 * @param accuracyChart {@code accuracy.png}
 * @param lossChart     {@code loss.png}, or {@code null} when no loss curves were given
 */
public record ReportFiles(Path markdown, Path csv, Path accuracyChart, Path lossChart) {
}
