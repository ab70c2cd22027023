package dev.mathtune.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the rows of a Parquet file with DuckDB's in-process JDBC driver ({@code SELECT * FROM read_parquet(?)}).
 * Each row becomes a JSON object; its "line" is the 1-based row number.
 */
public final class ParquetRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ParquetRows() {
    }

    /** The first {@code limit} rows of {@code file} ({@code 0} = all), in file order. */
    public static List<DatasetRow> read(Path file, int limit) {
        if (!Files.isRegularFile(file)) {
            throw UserError.inFile(file, "no such file");
        }
        String sql = "SELECT * FROM read_parquet(?)" + (limit > 0 ? " LIMIT " + limit : "");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
             PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, file.toString());
            try (ResultSet rs = query.executeQuery()) {
                return rows(file, rs);
            }
        } catch (SQLException e) {
            throw new UserError(file + ": cannot read Parquet: " + e.getMessage(), e);
        }
    }

    private static List<DatasetRow> rows(Path file, ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        List<DatasetRow> rows = new ArrayList<>();
        while (rs.next()) {
            ObjectNode fields = JSON.createObjectNode();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                Object value = rs.getObject(c);
                fields.set(meta.getColumnLabel(c), value == null ? fields.nullNode() : jsonValue(value));
            }
            rows.add(new DatasetRow(file, rows.size(), rows.size() + 1L, fields));
        }
        return rows;
    }

    private static com.fasterxml.jackson.databind.JsonNode jsonValue(Object value) {
        if (value instanceof Number || value instanceof Boolean || value instanceof String) {
            return JSON.valueToTree(value);
        }
        return JSON.getNodeFactory().textNode(value.toString());
    }
}
