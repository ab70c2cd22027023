package dev.mathtune.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mathtune.UserError;
import dev.mathtune.eval.EvalRunner;
import dev.mathtune.report.EvalScore;
import dev.mathtune.report.ReportFiles;
import dev.mathtune.report.ReportWriter;
import dev.mathtune.report.ResultRow;

/**
 * Rebuilds the report of an experiment folder from what its runs left on disk ({@code experiment.json}, each
 * run's {@code config.json}, {@code status.json}, {@code train/train_summary.json} and
 * {@code eval/<set>/metrics.json}): one row per run that has at least one evaluation, in recipe order, with
 * the study's numbers beside ours; loss curves of every trained run. Written with {@link ReportWriter}.
 */
public final class ExperimentReport {
    private ExperimentReport() {
    }

    public static ReportFiles write(Path out) throws IOException {
        Path exp = out.resolve(ExperimentRunner.EXPERIMENT);
        if (!Files.isRegularFile(exp)) throw UserError.inFile(exp, "not an experiment folder (no experiment.json; run 'mathtune run' first)");
        JsonNode e = ExperimentRunner.JSON.readTree(exp.toFile());
        StudyTable study = StudyTable.fromJson(e.get("study"));
        List<ResultRow> rows = new ArrayList<>();
        Map<String, Path> loss = new LinkedHashMap<>();
        int done = 0;
        List<String> failed = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (JsonNode n : e.path("runs")) {
            String name = n.asText();
            Path dir = ExperimentRunner.runDir(out, name);
            RunStatus status = RunStatus.read(dir);
            switch (status.status()) {
                case RunStatus.DONE -> done++;
                case RunStatus.FAILED -> failed.add(name + " (" + status.error() + ")");
                default -> pending.add(name);
            }
            Path configFile = dir.resolve(ExperimentRunner.CONFIG);
            if (!Files.isRegularFile(configFile)) continue;
            JsonNode config = ExperimentRunner.JSON.readTree(configFile.toFile());
            ResultRow row = row(dir, config, study);
            if (row == null) continue;
            rows.add(row);
            Path metrics = dir.resolve("train").resolve("metrics.jsonl");
            if (Files.isRegularFile(metrics)) loss.put(label(config, rows), metrics);
        }
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("Recipe", e.path("name").asText() + " (" + e.path("recipe").asText() + ")");
        facts.put("Runs", done + " done" + (failed.isEmpty() ? "" : ", " + failed.size() + " failed: " + String.join("; ", failed))
                + (pending.isEmpty() ? "" : ", " + pending.size() + " not finished: " + String.join(", ", pending)));
        facts.put("Machine", System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores");
        facts.put("Study numbers", switch (study.source()) {
            case "paper" -> "the reproduced study (Qwen2.5-0.5B fine-tuned; Qwen2.5-Math-1.5B as is); for the rows "
                    + "under a published protocol, the published figures (Qwen2.5 and Qwen2.5-Math reports; "
                    + "Qwen2.5-Math-1.5B's MATH figure is on the full MATH test)";
            case "table" -> "from the recipe";
            default -> "none";
        });
        facts.put("Notes", "training time is the trainer's clock (summed over resumes); peak memory is the peak RSS "
                + "of the mathtune process up to the end of that run's training");
        return ReportWriter.write(out, e.path("title").asText(), facts, rows, loss);
    }

    private static String label(JsonNode config, List<ResultRow> rows) {
        ResultRow r = rows.get(rows.size() - 1);
        return r.method() + (r.trainingData().isEmpty() ? "" : " / " + r.trainingData()) + " (" + config.path("name").asText() + ")";
    }

    /** The {@code graders} and {@code graders_disagree} of a metrics.json, or null when it has none. */
    static EvalScore.GraderScores graders(JsonNode metrics) {
        JsonNode g = metrics.path("graders");
        if (!g.isObject()) return null;
        java.util.Map<String, Double> accuracy = new java.util.LinkedHashMap<>();
        g.fields().forEachRemaining(e -> accuracy.put(e.getKey(), e.getValue().path("accuracy").asDouble()));
        return new EvalScore.GraderScores(accuracy, metrics.path("graders_disagree").asInt());
    }

    /** The row of one run, or null when it has no evaluation yet. */
    static ResultRow row(Path dir, JsonNode config, StudyTable study) throws IOException {
        List<EvalScore> scores = new ArrayList<>();
        Set<String> evalDtypes = new TreeSet<>();
        for (JsonNode set : config.path("eval")) {
            Path run = dir.resolve("eval").resolve(set.path("name").asText()).resolve(EvalRunner.RUN);
            if (Files.isRegularFile(run)) {
                String d = ExperimentRunner.JSON.readTree(run.toFile()).path("dtype").asText("");
                if (!d.isEmpty()) evalDtypes.add(d);
            }
            Path metrics = dir.resolve("eval").resolve(set.path("name").asText()).resolve(EvalRunner.METRICS);
            if (!Files.isRegularFile(metrics)) continue;
            JsonNode m = ExperimentRunner.JSON.readTree(metrics.toFile());
            JsonNode acc = m.path("accuracy");
            String label = set.path("label").asText();
            EvalScore s = EvalScore.of(label, acc.path("correct").asLong(), acc.path("total").asLong());
            scores.add(s.withStudy(study.accuracy(config.path("label").asText(), label).orElse(null))
                    .withGraders(graders(m)));
        }
        if (scores.isEmpty()) return null;
        long params = 0;
        double seconds = 0;
        long peak = 0;
        String trainDtype = "";
        Path summary = dir.resolve("train").resolve("train_summary.json");
        if (Files.isRegularFile(summary)) {
            JsonNode s = ExperimentRunner.JSON.readTree(summary.toFile());
            params = s.path("trainable_parameters").asLong();
            seconds = s.path("training_seconds").asDouble();
            peak = Math.max(0, s.path("peak_rss_bytes").asLong());
            trainDtype = s.path("dtype").asText("");
        }
        List<String> dtypes = new ArrayList<>();
        if (!trainDtype.isEmpty()) dtypes.add("training " + trainDtype + (trainDtype.equals("bf16") ? " (autocast)" : ""));
        if (!evalDtypes.isEmpty()) dtypes.add("evaluation " + String.join("/", evalDtypes));
        String data = config.path("data").path("label").asText("");
        return new ResultRow(config.path("label").asText(), config.path("model").path("label").asText(), data,
                params, seconds, peak, scores, String.join(", ", dtypes));
    }
}
