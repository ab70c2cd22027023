package dev.mathtune.eval;

import java.nio.file.Path;

/**
 * Which evaluation file (or glob of files, see {@link dev.mathtune.data.DatasetRows}) to read and how: {@code kind} ({@link DatasetKind#AUTO} to detect), optional field names
 * for the question and the answer (either set forces {@link DatasetKind#FIELDS} unless the kind is explicit),
 * and {@code limit}, the number of leading rows to keep ({@code 0} = all).
 */
public record DatasetSpec(Path path, DatasetKind kind, String questionField, String answerField, int limit) {
    public DatasetSpec {
        if (path == null) throw new IllegalArgumentException("dataset path is required");
        kind = kind == null ? DatasetKind.AUTO : kind;
        if (limit < 0) throw new IllegalArgumentException("limit must be >= 0 (0 = all), got " + limit);
    }

    /** A whole file, kind detected. */
    public static DatasetSpec of(Path path) {
        return new DatasetSpec(path, DatasetKind.AUTO, null, null, 0);
    }

    public DatasetSpec withLimit(int newLimit) {
        return new DatasetSpec(path, kind, questionField, answerField, newLimit);
    }
}
