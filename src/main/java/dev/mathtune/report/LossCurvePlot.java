package dev.mathtune.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training loss against step, for one or several runs in one chart: each run's raw loss as a thin pale line
 * and its smoothed loss (a bias-corrected exponential moving average, as TensorBoard draws it) as a bold line.
 */
public final class LossCurvePlot {
    /** Width of the image in pixels. */
    public static final int WIDTH = 900;
    /** Height of the image in pixels. */
    public static final int HEIGHT = 500;
    /** The default smoothing weight of the moving average. */
    public static final double SMOOTHING = 0.9;

    private LossCurvePlot() {
    }

    /** Draws the runs read from their {@code metrics.jsonl} files (label to file) into {@code png}. */
    public static void drawFiles(Map<String, Path> metricsFiles, String title, Path png) {
        Map<String, List<MetricsRow>> runs = new LinkedHashMap<>();
        metricsFiles.forEach((label, file) -> runs.put(label, MetricsLog.read(file)));
        draw(runs, title, png);
    }

    /** Draws the runs (label to rows) into {@code png}; rows without a finite loss are left out. */
    public static void draw(Map<String, List<MetricsRow>> runs, String title, Path png) {
        ChartFile.savePng(build(runs, title), png);
    }

    /** Builds the chart without saving it. */
    public static XYChart build(Map<String, List<MetricsRow>> runs, String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("Step").yAxisTitle("Training loss").build();
        style(chart);
        int i = 0;
        boolean any = false;
        for (var run : runs.entrySet()) {
            List<Double> steps = new ArrayList<>();
            List<Double> losses = new ArrayList<>();
            for (MetricsRow row : run.getValue()) {
                if (Double.isFinite(row.loss())) {
                    steps.add((double) row.step());
                    losses.add(row.loss());
                }
            }
            if (!steps.isEmpty()) {
                addRun(chart, run.getKey(), steps, losses, i);
                any = true;
            }
            i++;
        }
        if (!any) {
            chart.addSeries("no data", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        } else {
            breakEqualSpacing(chart, runs);
        }
        return chart;
    }

    /** The bias-corrected exponential moving average of {@code values} with weight {@code smoothing} in [0, 1). */
    public static List<Double> smooth(List<Double> values, double smoothing) {
        List<Double> out = new ArrayList<>(values.size());
        double average = 0;
        double weight = 1;
        for (double v : values) {
            average = smoothing * average + (1 - smoothing) * v;
            weight *= smoothing;
            out.add(average / (1 - weight));
        }
        return out;
    }

    private static void addRun(XYChart chart, String label, List<Double> steps, List<Double> losses, int i) {
        boolean smoothWorthIt = steps.size() >= 10;
        if (smoothWorthIt) {
            XYSeries raw = chart.addSeries(label + " (raw)", steps, losses);
            raw.setMarker(SeriesMarkers.NONE);
            raw.setLineColor(ChartPalette.translucent(i, 70));
            raw.setLineStyle(new BasicStroke(1f));
            raw.setShowInLegend(false);
        }
        XYSeries main = chart.addSeries(label, steps, smoothWorthIt ? smooth(losses, SMOOTHING) : losses);
        main.setMarker(smoothWorthIt ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        main.setMarkerColor(ChartPalette.color(i));
        main.setLineColor(ChartPalette.color(i));
        main.setLineStyle(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }

    /**
     * XChart puts a tick on every n-th data point when all x values are equally spaced, which crowds the axis
     * with labels like 1, 14, 27; an invisible point a hair off the grid makes it choose round ticks instead.
     */
    private static void breakEqualSpacing(XYChart chart, Map<String, List<MetricsRow>> runs) {
        var first = runs.values().stream().flatMap(List::stream).filter(r -> Double.isFinite(r.loss()))
                .min(java.util.Comparator.comparingLong(MetricsRow::step)).orElseThrow();
        XYSeries hidden = chart.addSeries(" ", new double[] {first.step() - 1e-3}, new double[] {first.loss()});
        hidden.setMarker(SeriesMarkers.NONE);
        hidden.setShowInLegend(false);
        hidden.setLineColor(new Color(0, 0, 0, 0));
    }

    private static void style(XYChart chart) {
        var styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setPlotGridLinesColor(new Color(225, 225, 225));
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setLegendBorderColor(new Color(200, 200, 200));
        styler.setYAxisDecimalPattern("0.00");
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setChartPadding(12);
    }
}
