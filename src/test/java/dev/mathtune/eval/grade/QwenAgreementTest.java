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
 * {@link QwenGrader} against Qwen2.5-Math's own {@code parser.py} + {@code grader.py} on the pairs in
 * {@code grader/qwen/qwen_pairs.jsonl} (made by running upstream's code; see that folder's README): the verdicts
 * agree on at least 99% of the pairs, and the normalised prediction equals upstream's on at least 99%.
 * Every disagreement is printed (the README lists them with their reasons).
 */
class QwenAgreementTest {

    @Test
    void agreesWithUpstreamVerdicts() throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/grader/qwen/qwen_pairs.jsonl"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                rows.add(json.readTree(line));
            }
        }
        QwenGrader grader = new QwenGrader();
        int agree = 0;
        int samePrediction = 0;
        int upstreamCorrect = 0;
        for (JsonNode row : rows) {
            GraderOutcome o = grader.grade(row.get("completion").asText(), row.get("reference").asText());
            boolean expected = row.get("qwen_correct").asBoolean();
            upstreamCorrect += expected ? 1 : 0;
            samePrediction += row.get("qwen_pred").asText().equals(o.normalized()) ? 1 : 0;
            if (o.correct() == expected) {
                agree++;
            } else {
                System.out.printf("QWEN-DISAGREE upstream=%s ours=%s pred=%s | ours=%s | gt=%s  [%s]%n", expected,
                        o.correct(), row.get("qwen_pred").asText(), o.normalized(), row.get("qwen_gt").asText(),
                        o.reason());
            }
            if (!row.get("qwen_pred").asText().equals(o.normalized())) {
                System.out.printf("QWEN-PRED-DIFF upstream=%s ours=%s%n", row.get("qwen_pred").asText(), o.normalized());
            }
        }
        double rate = agree / (double) rows.size();
        System.out.printf("qwen agreement: %d/%d = %.2f%% (upstream correct %d); same prediction %d/%d%n", agree,
                rows.size(), 100 * rate, upstreamCorrect, samePrediction, rows.size());
        assertTrue(rows.size() >= 2000, "at least 2000 pairs");
        assertTrue(upstreamCorrect >= rows.size() / 4 && upstreamCorrect <= rows.size() * 3 / 4,
                "both verdicts well represented");
        assertTrue(rate >= 0.99, "verdict agreement " + rate);
        assertTrue(samePrediction >= 0.99 * rows.size(), "same normalised prediction " + samePrediction);
    }
}
