package dev.mathtune.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the rows of a JSON file holding one array of objects ({@code [{...}, {...}]}); a row's "line" is its
 * 1-based position in the array. (A {@code .json} file that is not an array is read as JSON Lines, as the
 * {@code datasets} library does.)
 */
public final class JsonArrayRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonArrayRows() {
    }

    /** The first {@code limit} objects of the array in {@code file} ({@code 0} = all). */
    public static List<DatasetRow> read(Path file, int limit) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw UserError.inFile(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        List<DatasetRow> rows = new ArrayList<>();
        for (JsonNode element : root) {
            if (limit > 0 && rows.size() == limit) break;
            if (!(element instanceof ObjectNode object)) {
                throw UserError.atLine(file, rows.size() + 1L, null, "expected a JSON object, got " + element.getNodeType());
            }
            rows.add(new DatasetRow(file, rows.size(), rows.size() + 1L, object));
        }
        return rows;
    }
}
