package dev.mathtune.data;

import dev.mathtune.UserError;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one reader of dataset rows for every command (training, evaluation, augmentation, dry runs): a path that is
 * one file or a glob ({@link DatasetFiles}), each file read by its extension: {@code .parquet} through DuckDB
 * ({@link ParquetRows}), {@code .json} as an array of objects ({@link JsonArrayRows}) or else as JSON Lines,
 * anything else as JSON Lines ({@link JsonlRows}). Rows of several files follow one another; their indexes run on
 * across files, while each row keeps its own file and line for error messages.
 */
public final class DatasetRows {
    private DatasetRows() {
    }

    /** The first {@code limit} rows ({@code 0} = all) of the files {@code path} names, in order. */
    public static List<DatasetRow> read(Path path, int limit) {
        List<DatasetRow> rows = new ArrayList<>();
        for (Path file : DatasetFiles.expand(path)) {
            int left = limit == 0 ? 0 : limit - rows.size();
            for (DatasetRow row : readFile(file, left)) {
                rows.add(new DatasetRow(row.file(), rows.size(), row.line(), row.fields()));
            }
            if (limit > 0 && rows.size() >= limit) break;
        }
        return rows;
    }

    private static List<DatasetRow> readFile(Path file, int limit) {
        return switch (DatasetFiles.extension(file)) {
            case "parquet" -> ParquetRows.read(file, limit);
            case "json" -> startsWithArray(file) ? JsonArrayRows.read(file, limit) : JsonlRows.read(file, limit);
            default -> JsonlRows.read(file, limit);
        };
    }

    private static boolean startsWithArray(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (int c; (c = in.read()) >= 0; ) {
                if (!Character.isWhitespace(c)) return c == '[';
            }
            return false;
        } catch (IOException e) {
            throw UserError.inFile(file, "cannot read: " + e.getMessage());
        }
    }
}
