package dev.mathtune.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;

import java.nio.file.Path;

/**
 * One row of a dataset file: its 0-based {@code index} among rows, its 1-based {@code line} in the file (the row
 * number for Parquet) and its fields, for error messages that name file, line and field.
 */
public record DatasetRow(Path file, int index, long line, ObjectNode fields) {

    public boolean has(String field) {
        JsonNode node = fields.get(field);
        return node != null && !node.isNull();
    }

    /** The field as text (numbers are printed); a {@link UserError} naming file, line and field if absent. */
    public String text(String field) {
        JsonNode node = fields.get(field);
        if (node == null || node.isNull()) {
            throw UserError.atLine(file, line, field, "missing (fields present: " + fieldNames() + ")");
        }
        if (node.isContainerNode()) {
            throw UserError.atLine(file, line, field, "expected a string or number, got " + node.getNodeType());
        }
        return node.asText();
    }

    /** The field as text, or {@code null} when absent. */
    public String optionalText(String field) {
        return has(field) ? text(field) : null;
    }

    public UserError error(String field, String problem) {
        return UserError.atLine(file, line, field, problem);
    }

    private String fieldNames() {
        var names = new java.util.ArrayList<String>();
        fields.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }
}
