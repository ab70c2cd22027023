package dev.mathtune.report;

import dev.mathtune.io.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results table as CSV in long form, one line per (method, evaluation set), so any number of evaluation
 * sets fits: {@value #HEADER}. Accuracies are fractions; an empty {@code study_accuracy} means none.
 */
public final class ResultsCsv {
    /** The header line. */
    public static final String HEADER = "method,base_model,training_data,trainable_params,training_seconds,"
            + "peak_memory_bytes,eval_set,correct,n,accuracy,wilson_low,wilson_high,study_accuracy";

    private ResultsCsv() {
    }

    /** The CSV text of {@code rows}; a row without scores still gets one line, with empty score fields. */
    public static String format(List<ResultRow> rows) {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        for (ResultRow r : rows) {
            String head = String.join(",", quote(r.method()), quote(r.baseModel()), quote(r.trainingData()),
                    Long.toString(r.trainableParameters()), number(r.trainingSeconds()), Long.toString(r.peakMemoryBytes()));
            if (r.scores().isEmpty()) {
                out.append(head).append(",,,,,,,\n");
            }
            for (EvalScore s : r.scores()) {
                out.append(head).append(',').append(String.join(",", quote(s.evalSet()), Long.toString(s.correct()),
                        Long.toString(s.n()), number(s.accuracy()), number(s.wilsonLow()), number(s.wilsonHigh()),
                        s.hasStudy() ? number(s.studyAccuracy()) : "")).append('\n');
            }
        }
        return out.toString();
    }

    /** Writes {@code rows} to {@code file} atomically. */
    public static void write(Path file, List<ResultRow> rows) {
        AtomicFiles.writeStringUnchecked(file, format(rows));
    }

    /** Reads a file written by {@link #write} back into rows, in order. */
    public static List<ResultRow> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalArgumentException(file + ": not a results CSV (header differs)");
        }
        Map<List<String>, List<EvalScore>> groups = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = fields(lines.get(i));
            if (f.size() != 13) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 13 fields, got " + f.size());
            }
            List<EvalScore> scores = groups.computeIfAbsent(f.subList(0, 6), k -> new ArrayList<>());
            if (!f.get(6).isEmpty()) {
                scores.add(new EvalScore(f.get(6), Long.parseLong(f.get(7)), Long.parseLong(f.get(8)),
                        Double.parseDouble(f.get(9)), Double.parseDouble(f.get(10)), Double.parseDouble(f.get(11)),
                        f.get(12).isEmpty() ? null : Double.valueOf(f.get(12))));
            }
        }
        List<ResultRow> rows = new ArrayList<>();
        groups.forEach((h, scores) -> rows.add(new ResultRow(h.get(0), h.get(1), h.get(2), Long.parseLong(h.get(3)),
                Double.parseDouble(h.get(4)), Long.parseLong(h.get(5)), scores)));
        return rows;
    }

    /** Splits one CSV line (RFC 4180 quoting, no line breaks inside fields). */
    static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cur.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    private static String quote(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ');
        return flat.contains(",") || flat.contains("\"") ? "\"" + flat.replace("\"", "\"\"") + "\"" : flat;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }
}
