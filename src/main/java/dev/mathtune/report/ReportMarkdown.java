package dev.mathtune.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The text of {@code report.md}: a header of facts, the results table, and links to the charts. */
public final class ReportMarkdown {
    private ReportMarkdown() {
    }

    /** Renders the report; {@code withLossChart} adds the link to {@code loss.png}. */
    public static String render(String title, Map<String, String> facts, List<ResultRow> rows, boolean withLossChart) {
        StringBuilder md = new StringBuilder("# ").append(title).append("\n\n");
        facts.forEach((k, v) -> md.append("- **").append(cell(k)).append("**: ").append(cell(v)).append('\n'));
        if (!facts.isEmpty()) {
            md.append('\n');
        }
        md.append(table(rows)).append('\n');
        md.append("Accuracy in %, with the Wilson 95% interval in brackets and the number of graded problems as n.");
        if (rows.stream().anyMatch(r -> r.scores().stream().anyMatch(EvalScore::hasStudy))) {
            md.append(" *Study* is the accuracy the reproduced study reported for the same method.");
        }
        md.append("\n\n");
        md.append(graderNotes(rows));
        md.append(dtypeNotes(rows));
        md.append("![Accuracy by method](accuracy.png)\n");
        if (withLossChart) {
            md.append("\n![Training loss](loss.png)\n");
        }
        return md.toString();
    }

    /**
     * The footnote of graders side by side: for each run and set whose metrics hold them, the accuracy under
     * mathtune's, Qwen2.5-Math's and lm-evaluation-harness's graders and the rows where they disagree; empty when
     * no score has them.
     */
    static String graderNotes(List<ResultRow> rows) {
        StringBuilder md = new StringBuilder();
        for (ResultRow r : rows) {
            for (EvalScore s : r.scores()) {
                if (s.graders() == null) {
                    continue;
                }
                List<String> parts = new ArrayList<>();
                s.graders().accuracy().forEach((name, acc) -> parts.add(name + " " + HumanUnits.percent(acc)));
                md.append("- ").append(cell(r.method())).append(", ").append(cell(s.evalSet())).append(": ")
                        .append(String.join(", ", parts)).append(" (graders disagree on ")
                        .append(s.graders().disagree()).append(" of ").append(s.n()).append(")\n");
            }
        }
        return md.isEmpty() ? "" : "Graders side by side (accuracy is the primary grader's):\n\n" + md + "\n";
    }

    /** Each run's compute dtypes ({@code --dtype auto} may choose per machine); empty when none is recorded. */
    static String dtypeNotes(List<ResultRow> rows) {
        StringBuilder md = new StringBuilder();
        for (ResultRow r : rows) {
            if (!r.dtypes().isEmpty()) md.append("- ").append(cell(r.method())).append(": ").append(r.dtypes()).append('\n');
        }
        return md.isEmpty() ? "" : "Compute dtypes:\n\n" + md + "\n";
    }

    /** The Markdown results table. */
    public static String table(List<ResultRow> rows) {
        List<String> sets = AccuracyChart.evalSets(rows);
        List<String> header = new ArrayList<>(List.of("Method", "Base model", "Training data", "Trainable params",
                "Training time", "Peak memory"));
        for (String set : sets) {
            header.add(set + " accuracy");
            if (rows.stream().anyMatch(r -> r.score(set).map(EvalScore::hasStudy).orElse(false))) {
                header.add(set + " study");
            }
        }
        StringBuilder md = new StringBuilder(line(header));
        md.append(line(header.stream().map(h -> h.startsWith("Method") || h.startsWith("Base")
                || h.startsWith("Training data") ? "---" : "---:").toList()));
        for (ResultRow r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.method(), r.baseModel(), r.trainingData().isEmpty()
                    ? "—" : r.trainingData(), r.trainableParameters() == 0 ? "—" : HumanUnits.count(r.trainableParameters()),
                    HumanUnits.duration(r.trainingSeconds()), HumanUnits.bytes(r.peakMemoryBytes())));
            for (String set : sets) {
                var score = r.score(set);
                cells.add(score.map(ReportMarkdown::accuracy).orElse("—"));
                if (header.contains(set + " study")) {
                    cells.add(score.filter(EvalScore::hasStudy).map(s -> HumanUnits.percent(s.studyAccuracy())).orElse("—"));
                }
            }
            md.append(line(cells));
        }
        return md.toString();
    }

    /** {@code "34.27 [31.76, 36.88] n=1319"}. */
    static String accuracy(EvalScore s) {
        return HumanUnits.percent(s.accuracy()) + " [" + HumanUnits.percent(s.wilsonLow()) + ", "
                + HumanUnits.percent(s.wilsonHigh()) + "] n=" + s.n();
    }

    private static String line(List<String> cells) {
        return "| " + String.join(" | ", cells.stream().map(ReportMarkdown::cell).toList()) + " |\n";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace('\n', ' ');
    }
}
