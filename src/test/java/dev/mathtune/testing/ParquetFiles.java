package dev.mathtune.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Writes Parquet files from JSON Lines with DuckDB, as the Hub's Parquet conversion stores a dataset's columns. */
public final class ParquetFiles {
    private ParquetFiles() {
    }

    /**
     * Rows {@code [offset, offset + count)} of {@code jsonl} (in file order), with {@code columns} in that order,
     * written to {@code parquet}.
     */
    public static Path fromJsonl(Path jsonl, Path parquet, long offset, long count, String... columns) {
        return fromJsonl(jsonl, parquet, "true", offset, count, columns);
    }

    /** As above, keeping only the rows for which the SQL condition {@code where} holds. */
    public static Path fromJsonl(Path jsonl, Path parquet, String where, long offset, long count, String... columns) {
        String cols = String.join(", ", columns);
        String sql = "COPY (SELECT " + cols + " FROM read_json_auto('" + jsonl + "', format='newline_delimited')"
                + " WHERE " + where + " LIMIT " + count + " OFFSET " + offset + ") TO '" + parquet + "' (FORMAT PARQUET)";
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("SET preserve_insertion_order = true");
            st.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return parquet;
    }
}
