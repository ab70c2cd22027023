package dev.mathtune.data;

import dev.mathtune.UserError;
import dev.mathtune.testing.ParquetFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One reader for JSON Lines, JSON arrays and Parquet, one file or a glob. */
class DatasetRowsTest {
    static final Path DATA = Path.of(System.getProperty("mathtune.shared", "../shared"), "data");

    @TempDir
    Path tmp;

    private static List<String> fields(List<DatasetRow> rows, String field) {
        return rows.stream().map(r -> r.text(field)).toList();
    }

    @Test
    void jsonlJsonArrayAndParquetGiveTheSameRows() throws IOException {
        List<DatasetRow> jsonl = JsonlRows.read(DATA.resolve("math500/test.jsonl"), 25);
        Path array = tmp.resolve("test.json");
        Files.writeString(array, "[" + String.join(",\n", jsonl.stream().map(r -> r.fields().toString()).toList()) + "]");
        Path parquet = ParquetFiles.fromJsonl(DATA.resolve("math500/test.jsonl"), tmp.resolve("test.parquet"), 0, 25,
                "problem", "solution", "answer", "subject", "level", "unique_id");
        for (Path p : List.of(array, parquet)) {
            List<DatasetRow> rows = DatasetRows.read(p, 0);
            assertEquals(25, rows.size(), p.toString());
            for (String field : List.of("problem", "solution", "answer", "subject", "level", "unique_id")) {
                assertEquals(fields(jsonl, field), fields(rows, field), p + " " + field);
            }
            assertEquals(7, rows.get(6).line());
        }
    }

    @Test
    void aGlobReadsItsFilesInPathOrderWithRunningIndexes() throws IOException {
        Path jsonl = DATA.resolve("gsm8k/test.jsonl");
        ParquetFiles.fromJsonl(jsonl, tmp.resolve("test-00001-of-00002.parquet"), 10, 10, "question", "answer");
        ParquetFiles.fromJsonl(jsonl, tmp.resolve("test-00000-of-00002.parquet"), 0, 10, "question", "answer");
        List<DatasetRow> rows = DatasetRows.read(tmp.resolve("test-*.parquet"), 0);
        assertEquals(fields(JsonlRows.read(jsonl, 20), "question"), fields(rows, "question"));
        assertEquals(List.of(0, 19), List.of(rows.get(0).index(), rows.get(19).index()));
        assertEquals(tmp.resolve("test-00001-of-00002.parquet"), rows.get(10).file());
        assertEquals(1, rows.get(10).line());
        assertEquals(15, DatasetRows.read(tmp.resolve("test-*.parquet"), 15).size());
        List<DatasetRow> listed = DatasetRows.read(tmp.resolve("{test-00001-of-00002,test-00000-of-00002}.parquet"), 0);
        assertEquals(fields(rows, "question"), fields(listed, "question"), "a list reads in path order too");
    }

    @Test
    void missingFilesAndEmptyGlobsAreOneLineErrors() {
        UserError none = assertThrows(UserError.class, () -> DatasetRows.read(tmp.resolve("nope.jsonl"), 0));
        assertEquals(tmp.resolve("nope.jsonl") + ": no such file", none.getMessage());
        UserError glob = assertThrows(UserError.class, () -> DatasetRows.read(tmp.resolve("*/train-*.parquet"), 0));
        assertTrue(glob.getMessage().endsWith("no file matches this pattern"), glob.getMessage());
    }

    @Test
    void aBadRowNamesFileLineAndField() throws IOException {
        Path array = tmp.resolve("bad.json");
        Files.writeString(array, "[{\"question\": \"q\"}, 3]");
        UserError e = assertThrows(UserError.class, () -> DatasetRows.read(array, 0));
        assertEquals(array + ":2: expected a JSON object, got NUMBER", e.getMessage());
    }
}
