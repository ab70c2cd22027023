package dev.mathtune.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.UserError;

/** Two evaluations' agreement: same answer, same verdict, same text, over the samples both hold. */
class AgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PredictionRow row(String id, String completion, String extracted, boolean correct) {
        return new PredictionRow(id, 0, "Q" + id, completion, extracted, "rule", "7", correct, "r", correct, 3, 0.1, "stop");
    }

    private static void write(Path file, List<PredictionRow> rows) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (PredictionRow r : rows) sb.append(JSON.writeValueAsString(r)).append('\n');
        Files.writeString(file, sb.toString());
    }

    @Test
    void countsAgreementOverTheSamplesBothRunsHold(@TempDir Path dir) throws Exception {
        Path a = Files.createDirectories(dir.resolve("fp32")), b = dir.resolve("bf16.jsonl");
        write(a.resolve(EvalRunner.PREDICTIONS), List.of(row("1", "so 7", "7", true), row("2", "so 5", "5", false),
                row("3", "so 7", "7", true), row("4", "none", null, false), row("5", "only here", "1", false)));
        write(b, List.of(row("1", "so 7", "7", true), row("2", "thus 7", "7", true),
                row("3", "hence 7", "7", true), row("4", "nothing", null, false), row("6", "only there", "2", false)));
        Agreement g = Agreement.of(a, b);
        assertEquals(4, g.common());
        assertEquals(1, g.onlyFirst());
        assertEquals(1, g.onlySecond());
        assertEquals(3, g.sameAnswer(), "1, 3 (other words, same answer) and 4 (no answer in either)");
        assertEquals(3, g.sameVerdict());
        assertEquals(1, g.sameText());
        assertEquals(2, g.correctFirst());
        assertEquals(3, g.correctSecond());
        assertEquals(0.75, g.answerAgreement(), 1e-12);
        assertEquals(0.75, (double) g.toMap().get("answer_agreement"), 1e-12);
    }

    @Test
    void aBadLineIsAUserErrorNamingTheFileAndLine(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.jsonl"), b = dir.resolve("b.jsonl");
        write(a, List.of(row("1", "so 7", "7", true)));
        Files.writeString(b, JSON.writeValueAsString(row("1", "so 7", "7", true)) + "\n{\"id\": [\n");
        UserError e = assertThrows(UserError.class, () -> Agreement.of(a, b));
        assertTrue(e.getMessage().contains(b.toString()) && e.getMessage().contains("line 2"), e.getMessage());
        UserError missing = assertThrows(UserError.class, () -> Agreement.of(a, dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("predictions.jsonl"), missing.getMessage());
    }
}
