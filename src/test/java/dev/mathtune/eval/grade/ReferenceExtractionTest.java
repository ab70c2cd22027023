package dev.mathtune.eval.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Extracting the answer from every real reference solution gives the reference answer. */
class ReferenceExtractionTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static List<JsonNode> rows(String relative) throws IOException {
        Path file = Path.of(System.getProperty("mathtune.shared"), "data", relative);
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                rows.add(JSON.readTree(line));
            }
        }
        return rows;
    }

    @Test
    void everyMath500SolutionYieldsItsAnswer() throws IOException {
        AnswerExtractor extractor = new AnswerExtractor();
        List<JsonNode> rows = rows("math500/test.jsonl");
        assertEquals(500, rows.size());
        for (JsonNode row : rows) {
            Extraction e = extractor.extract(row.get("solution").asText());
            assertEquals(row.get("answer").asText(), e.answer(), row.get("unique_id").asText());
            assertEquals("boxed", e.rule());
            assertEquals(row.get("answer").asText(), ReferenceAnswer.math(null, row.get("solution").asText()));
        }
    }

    @Test
    void everyGsm8kTestSolutionYieldsItsAnswer() throws IOException {
        AnswerExtractor extractor = new AnswerExtractor();
        List<JsonNode> rows = rows("gsm8k/test.jsonl");
        assertEquals(1319, rows.size());
        int withCommas = 0;
        for (JsonNode row : rows) {
            String solution = row.get("answer").asText();
            String reference = ReferenceAnswer.gsm8k(solution);
            assertTrue(reference.matches("-?\\d+(\\.\\d+)?"), reference);
            withCommas += solution.substring(solution.lastIndexOf("####")).contains(",") ? 1 : 0;
            assertEquals(new Extraction(reference, "####"), extractor.extract(solution));
        }
        assertEquals(14, withCommas, "the data README counts 14 test answers with thousands commas");
    }

    @Test
    void mathReferenceUsesTheAnswerFieldFirst() {
        assertEquals("5", ReferenceAnswer.math("5", "so \\boxed{6}"));
        assertEquals("\\frac{1}{2}", ReferenceAnswer.math("", "so $\\boxed{\\frac{1}{2}}$."));
    }
}
