package dev.mathtune.eval;

import dev.mathtune.data.DatasetRow;
import dev.mathtune.data.DatasetRows;
import dev.mathtune.UserError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a dataset (JSON Lines, JSON or Parquet; one file or a glob, see {@link DatasetRows}) into {@link EvalItem}s.
 * <ul>
 * <li>GSM8K: question = {@code question}; reference = text after the last {@code ####}, commas removed.</li>
 * <li>MATH / MATH500: question = {@code problem}; reference = {@code answer}, else the last brace-matched
 * {@code \boxed{}} of {@code solution}; subject = {@code subject} or {@code type}; level from {@code 3} or
 * {@code "Level 3"} ({@code "Level ?"} = 0).</li>
 * <li>FIELDS: the user's question and answer fields (default {@code question}, {@code answer}).</li>
 * </ul>
 * Ids are the row's {@code unique_id}, else {@code <name>-<index>} such as {@code gsm8k-test-0042}, where
 * {@code name} is {@code <parent folder>-<file stem>} (a shard suffix such as {@code -00000-of-00001} and glob
 * characters left out: {@code main/test-00000-of-00001.parquet} gives {@code main-test}).
 */
public final class DatasetLoader {
    private static final Pattern LEVEL = Pattern.compile("(?i)\\s*(?:level\\s*)?(\\d+|\\?)\\s*");

    private DatasetLoader() {
    }

    /** Reads, detects the kind, and maps every row (up to the spec's limit). */
    public static EvalDataset load(DatasetSpec spec) {
        List<DatasetRow> rows = DatasetRows.read(spec.path(), spec.limit());
        if (rows.isEmpty()) {
            throw UserError.inFile(spec.path(), "no rows");
        }
        DatasetKind kind = resolveKind(spec, rows.get(0));
        String name = nameOf(spec.path());
        List<EvalItem> items = new ArrayList<>(rows.size());
        Set<String> ids = new HashSet<>();
        for (DatasetRow row : rows) {
            EvalItem item = item(spec, kind, name, row);
            if (!ids.add(item.id())) {
                throw row.error("unique_id", "duplicate id '" + item.id() + "'");
            }
            items.add(item);
        }
        return new EvalDataset(name, kind, items);
    }

    /** The kind to read with: the spec's, else FIELDS when field names were given, else decided by the fields. */
    static DatasetKind resolveKind(DatasetSpec spec, DatasetRow first) {
        if (spec.kind() != DatasetKind.AUTO) {
            return spec.kind();
        }
        if (spec.questionField() != null || spec.answerField() != null) {
            return DatasetKind.FIELDS;
        }
        if (first.has("problem") && (first.has("answer") || first.has("solution"))) {
            return DatasetKind.MATH;
        }
        if (first.has("question") && first.has("answer")) {
            return first.text("answer").contains("####") ? DatasetKind.GSM8K : DatasetKind.FIELDS;
        }
        throw first.error(null, "cannot tell the dataset kind from its fields; pass --question-field and "
                + "--answer-field, or --kind");
    }

    /** {@code <parent>-<stem>} of a path, e.g. {@code gsm8k-test} for {@code data/gsm8k/test.jsonl}. */
    static String nameOf(Path path) {
        String file = path.getFileName().toString().replaceAll("-\\d{5}-of-\\d{5}|[*?\\[\\]{},]", "");
        int dot = file.indexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        Path parent = path.toAbsolutePath().normalize().getParent();
        return parent == null || parent.getFileName() == null ? stem : parent.getFileName() + "-" + stem;
    }

    private static EvalItem item(DatasetSpec spec, DatasetKind kind, String name, DatasetRow row) {
        String id = row.has("unique_id") ? row.text("unique_id") : String.format(Locale.ROOT, "%s-%04d", name, row.index());
        String subject = row.has("subject") ? row.text("subject") : row.optionalText("type");
        int level = row.has("level") ? level(row) : 0;
        return switch (kind) {
            case GSM8K -> new EvalItem(id, row.text("question"), gsmReference(row), subject, level,
                    row.text("answer"));
            case MATH -> new EvalItem(id, row.text("problem"), mathReference(row), subject, level,
                    row.has("solution") ? row.text("solution") : null);
            case FIELDS, AUTO -> fieldsItem(spec, id, subject, level, row);
        };
    }

    private static EvalItem fieldsItem(DatasetSpec spec, String id, String subject, int level, DatasetRow row) {
        String q = spec.questionField() == null ? "question" : spec.questionField();
        String a = spec.answerField() == null ? "answer" : spec.answerField();
        String reference = row.text(a).strip();
        if (reference.isEmpty()) {
            throw row.error(a, "empty answer");
        }
        return new EvalItem(id, row.text(q), reference, subject, level);
    }

    private static String gsmReference(DatasetRow row) {
        GsmAnswer answer = GsmAnswer.parse(row.text("answer"));
        if (answer == null) {
            throw row.error("answer", "no final answer after '####'");
        }
        return answer.finalAnswer();
    }

    private static String mathReference(DatasetRow row) {
        if (row.has("answer")) {
            return row.text("answer").strip();
        }
        String boxed = BoxedAnswer.last(row.text("solution"));
        if (boxed == null || boxed.isBlank()) {
            throw row.error("solution", "no \\boxed{} answer and no 'answer' field");
        }
        return boxed.strip();
    }

    private static int level(DatasetRow row) {
        Matcher m = LEVEL.matcher(row.text("level"));
        if (!m.matches()) {
            throw row.error("level", "expected a number or 'Level N', got '" + row.text("level") + "'");
        }
        return m.group(1).equals("?") ? 0 : Integer.parseInt(m.group(1));
    }
}
