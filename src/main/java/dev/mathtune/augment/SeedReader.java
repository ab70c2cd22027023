package dev.mathtune.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the training JSONL to augment: GSM8K {@code question}/{@code answer} or MATH {@code problem}/{@code
 * solution}. The id is the row's {@code id} or {@code unique_id} when present, else {@code <kind>:<line>}.
 */
public final class SeedReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SeedReader() {
    }

    /** The first {@code limit} rows ({@code limit <= 0}: all), in file order; blank lines are skipped. */
    public static List<SeedQuestion> read(Path file, DatasetKind kind, int limit) throws IOException {
        List<SeedQuestion> seeds = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long lineNo = 0;
            while ((line = in.readLine()) != null && (limit <= 0 || seeds.size() < limit)) {
                lineNo++;
                if (!line.isBlank()) {
                    seeds.add(parse(file, lineNo, line, kind));
                }
            }
        } catch (NoSuchFileException e) {
            throw UserError.inFile(file, "no such file");
        }
        return seeds;
    }

    private static SeedQuestion parse(Path file, long lineNo, String line, DatasetKind kind) {
        JsonNode row;
        try {
            row = JSON.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw UserError.atLine(file, lineNo, null, "not valid JSON: " + e.getOriginalMessage());
        }
        String question = text(file, lineNo, row, kind.questionField());
        String solution = text(file, lineNo, row, kind.solutionField());
        String answer = kind.goldAnswer(solution);
        if (answer == null) {
            throw UserError.atLine(file, lineNo, kind.solutionField(), kind == DatasetKind.MATH
                    ? "has no \\boxed{} final answer" : "has no '#### N' final answer line");
        }
        String id = row.hasNonNull("id") ? row.get("id").asText()
                : row.hasNonNull("unique_id") ? row.get("unique_id").asText() : kind.wireName() + ":" + lineNo;
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
