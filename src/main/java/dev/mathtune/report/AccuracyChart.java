package dev.mathtune.report;

import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A grouped bar chart of accuracy like the study's Figure 1: methods along the x axis, one bar per evaluation
 * set, error bars from the Wilson interval, values written on the bars, and, where the study has numbers,
 * a paler bar beside ours with the study's accuracy.
 *
 * <p>XChart draws symmetric error bars; each bar gets the larger side of its (asymmetric) Wilson interval,
 * so the drawn bar covers the interval.
 */
public final class AccuracyChart {
    /** Width of the image in pixels. */
    public static final int WIDTH = 1000;
    /** Height of the image in pixels. */
    public static final int HEIGHT = 560;

    private AccuracyChart() {
    }

    /** Draws the chart of {@code rows} into {@code png}. */
    public static void draw(List<ResultRow> rows, String title, Path png) {
        ChartFile.savePng(build(rows, title), png);
    }

    /** Builds the chart without saving it. */
    public static CategoryChart build(List<ResultRow> rows, String title) {
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("Method").yAxisTitle("Accuracy (%)").build();
        style(chart);
        List<String> methods = methodLabels(rows);
        List<String> sets = evalSets(rows);
        List<Color> colors = new ArrayList<>();
        boolean anyStudy = rows.stream().anyMatch(r -> r.scores().stream().anyMatch(EvalScore::hasStudy));
        for (int s = 0; s < sets.size(); s++) {
            String set = sets.get(s);
            List<Double> values = new ArrayList<>();
            List<Double> errors = new ArrayList<>();
            List<Double> study = new ArrayList<>();
            for (ResultRow row : rows) {
                EvalScore score = row.score(set).orElse(null);
                values.add(score == null ? 0.0 : 100 * score.accuracy());
                errors.add(score == null ? 0.0 : 100 * Math.max(score.accuracy() - score.wilsonLow(),
                        score.wilsonHigh() - score.accuracy()));
                study.add(score == null || !score.hasStudy() ? null : 100 * score.studyAccuracy());
            }
            CategorySeries ours = chart.addSeries(anyStudy ? set + " (ours)" : set, methods, values, errors);
            ours.setFillColor(ChartPalette.color(s));
            colors.add(ChartPalette.color(s));
            if (study.stream().anyMatch(v -> v != null)) {
                chart.addSeries(set + " (study)", methods, study).setFillColor(ChartPalette.tint(s, 0.6));
                colors.add(ChartPalette.tint(s, 0.6));
            }
        }
        chart.getStyler().setSeriesColors(colors.toArray(Color[]::new));
        return chart;
    }

    private static void style(CategoryChart chart) {
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendPosition(Styler.LegendPosition.InsideNW);
        styler.setLegendBorderColor(new Color(200, 200, 200));
        styler.setYAxisMin(0.0);
        styler.setYAxisMax(100.0);
        styler.setYAxisDecimalPattern("0.#");
        styler.setAvailableSpaceFill(0.8);
        styler.setErrorBarsColor(new Color(40, 40, 40));
        styler.setLabelsVisible(true);
        styler.setLabelsPosition(0.5);
        styler.setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        styler.setLabelsFontColorAutomaticEnabled(true);
        styler.setDecimalPattern("0.0");
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setChartPadding(12);
    }

    /** The x labels: the method names, with the base model added where a method name repeats. */
    static List<String> methodLabels(List<ResultRow> rows) {
        Set<String> seen = new HashSet<>();
        Set<String> repeated = new HashSet<>();
        rows.forEach(r -> (seen.add(r.method()) ? new HashSet<String>() : repeated).add(r.method()));
        List<String> labels = new ArrayList<>();
        for (ResultRow r : rows) {
            String label = repeated.contains(r.method()) ? r.method() + " / " + r.baseModel() : r.method();
            while (labels.contains(label)) {
                label = label + "'";
            }
            labels.add(label);
        }
        return labels;
    }

    /** The evaluation sets of all rows, in order of first appearance. */
    static List<String> evalSets(List<ResultRow> rows) {
        Set<String> sets = new LinkedHashSet<>();
        rows.forEach(r -> r.scores().forEach(s -> sets.add(s.evalSet())));
        return List.copyOf(sets);
    }
}
