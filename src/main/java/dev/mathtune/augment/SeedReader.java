package dev.mathtune.augment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mathtune.UserError;
import dev.mathtune.data.DatasetRow;
import dev.mathtune.data.DatasetRows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the training set to augment: GSM8K {@code question}/{@code answer} or MATH {@code problem}/{@code
 * solution}. The id is the row's {@code id} or {@code unique_id} when present, else {@code <kind>:<line>}.
 */
public final class SeedReader {
    private SeedReader() {
    }

    /**
     * The first {@code limit} rows ({@code limit <= 0}: all) of {@code file} (JSON Lines, JSON or Parquet; one file
     * or a glob, see {@link DatasetRows}), in file order. Without an id field a row's id is {@code <kind>:<line>}
     * for one file, {@code <kind>:<row number>} across several.
     */
    public static List<SeedQuestion> read(Path file, DatasetKind kind, int limit) throws IOException {
        List<DatasetRow> rows = DatasetRows.read(file, Math.max(0, limit));
        boolean oneFile = rows.stream().map(DatasetRow::file).distinct().count() <= 1;
        List<SeedQuestion> seeds = new ArrayList<>(rows.size());
        for (DatasetRow row : rows) {
            seeds.add(parse(row, oneFile ? row.line() : row.index() + 1L, kind));
        }
        return seeds;
    }

    private static SeedQuestion parse(DatasetRow dataRow, long number, DatasetKind kind) {
        Path file = dataRow.file();
        long lineNo = dataRow.line();
        JsonNode row = dataRow.fields();
        String question = text(file, lineNo, row, kind.questionField());
        String solution = text(file, lineNo, row, kind.solutionField());
        String answer = kind.goldAnswer(solution);
        if (answer == null) {
            throw UserError.atLine(file, lineNo, kind.solutionField(), kind == DatasetKind.MATH
                    ? "has no \\boxed{} final answer" : "has no '#### N' final answer line");
        }
        String id = row.hasNonNull("id") ? row.get("id").asText()
                : row.hasNonNull("unique_id") ? row.get("unique_id").asText() : kind.wireName() + ":" + number;
        return new SeedQuestion(id, question, solution, answer);
    }

    private static String text(Path file, long lineNo, JsonNode row, String field) {
        JsonNode value = row.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw UserError.atLine(file, lineNo, field, "missing or not a non-empty string");
        }
        return value.asText();
    }
}
