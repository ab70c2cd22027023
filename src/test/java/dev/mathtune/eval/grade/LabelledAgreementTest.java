package dev.mathtune.eval.grade;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lenient grader agrees with at least 99% of the hand-labelled pairs in {@code grader/labelled.jsonl}. */
class LabelledAgreementTest {

    @Test
    void agreesWithHandLabels() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/grader/labelled.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rows.add(json.readTree(line));
            }
        }
        MathAnswerGrader gsm8k = MathAnswerGrader.gsm8k();
        MathAnswerGrader math = MathAnswerGrader.math();
        int agree = 0;
        int falseLabels = 0;
        for (JsonNode row : rows) {
            MathAnswerGrader grader = row.get("dataset").asText().equals("gsm8k") ? gsm8k : math;
            boolean label = row.get("label").asBoolean();
            falseLabels += label ? 0 : 1;
            Verdict v = grader.grade(row.get("prediction").asText(), row.get("reference").asText());
            if (v.correct() == label) {
                agree++;
            } else {
                System.out.printf("DISAGREE label=%s got=%s (%s): %s | %s  [%s]%n", label, v.correct(), v.reason(),
                        row.get("prediction").asText(), row.get("reference").asText(), row.get("why").asText());
            }
        }
        double rate = agree / (double) rows.size();
        System.out.printf("labelled agreement: %d/%d = %.2f%% (%d false labels)%n", agree, rows.size(), 100 * rate,
                falseLabels);
        assertTrue(rows.size() >= 300, "at least 300 labelled pairs");
        assertTrue(falseLabels >= rows.size() / 4, "a good share of false labels");
        assertTrue(rate >= 0.99, "agreement " + rate);
    }
}
