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

/**
 * mathtune's grader on the cases taken from Math-Verify's test suite ({@code grader/math-verify/cases.jsonl}; see
 * the README beside {@code grader/labelled.jsonl} for where they come from and the conventions): the gold's answer
 * is extracted as a reference, the prediction graded as a completion, and the verdict agrees with the case's
 * {@code label} (Math-Verify's expectation unless a written convention of ours overrides it) on at least 90%.
 */
class MathVerifyCasesTest {

    @Test
    void agreesWithMathVerifyCasesUnderOurConventions() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/grader/math-verify/cases.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rows.add(json.readTree(line));
            }
        }
        MathAnswerGrader grader = MathAnswerGrader.math();
        int agree = 0;
        int overridden = 0;
        for (JsonNode row : rows) {
            boolean label = row.get("label").asBoolean();
            overridden += label != row.get("math_verify").asBoolean() ? 1 : 0;
            Extraction gold = grader.extract(row.get("gold").asText());
            Extraction pred = grader.extract(row.get("pred").asText());
            Verdict v = pred.found() && gold.found() ? grader.grade(pred.answer(), gold.answer())
                    : new Verdict(false, "no answer");
            if (v.correct() == label) {
                agree++;
            } else {
                System.out.printf("MV-DISAGREE label=%s got=%s (%s) gold=%s -> %s | pred=%s -> %s  [%s]%n", label,
                        v.correct(), v.reason(), row.get("gold").asText().replace("\n", "\\n"), gold.answer(),
                        row.get("pred").asText().replace("\n", "\\n"), pred.answer(), row.get("source").asText());
            }
        }
        double rate = agree / (double) rows.size();
        System.out.printf("math-verify cases: %d/%d = %.2f%% (%d labels differ from Math-Verify's)%n", agree,
                rows.size(), 100 * rate, overridden);
        assertTrue(rows.size() >= 200, "at least 200 cases");
        assertTrue(rate >= 0.90, "agreement " + rate);
    }
}
