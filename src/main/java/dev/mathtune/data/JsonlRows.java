package dev.mathtune.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the rows of a JSON Lines file: one object per line; blank lines are skipped. */
public final class JsonlRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonlRows() {
    }

    /** The first {@code limit} rows of {@code file} ({@code 0} = all); a {@link UserError} at a malformed line. */
    public static List<DatasetRow> read(Path file, int limit) {
        List<DatasetRow> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            long line = 0;
            while ((text = in.readLine()) != null && (limit == 0 || rows.size() < limit)) {
                line++;
                if (!text.isBlank()) {
                    rows.add(new DatasetRow(file, rows.size(), line, parse(file, line, text)));
                }
            }
        } catch (NoSuchFileException e) {
            throw UserError.inFile(file, "no such file");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
        return rows;
    }

    private static ObjectNode parse(Path file, long line, String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw UserError.atLine(file, line, null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw UserError.atLine(file, line, null, "expected a JSON object, got " + node.getNodeType());
        }
        return object;
    }
}
