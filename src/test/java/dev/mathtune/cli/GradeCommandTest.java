package dev.mathtune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GradeCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exit, String out, Throwable error) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        Throwable[] error = new Throwable[1];
        CommandLine cli = new CommandLine(new GradeCommand());
        cli.setOut(new PrintWriter(out));
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            error[0] = ex;
            return ExitCode.BAD_INPUT;
        });
        return new Run(cli.execute(args), out.toString(), error[0]);
    }

    private List<JsonNode> readRows(Path file) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    @Test
    void gradesCompletionsAndWritesEveryRow() throws IOException {
        Path input = dir.resolve("preds.jsonl");
        Files.writeString(input, String.join("\n",
                "{\"id\":1,\"prediction\":\"So the answer is $\\\\boxed{\\\\dfrac{1}{2}}$.\",\"reference\":\"0.5\"}",
                "{\"id\":2,\"prediction\":\"We add them. The answer is 7.\",\"reference\":\"\\\\frac{14}{2}\"}",
                "",
                "{\"id\":3,\"prediction\":\"x = 3\",\"reference\":\"so $\\\\boxed{4}$\"}",
                "{\"id\":4,\"prediction\":\"\\\\frac{\\\\sqrt{2}}{2}\",\"reference\":\"\\\\frac{1}{\\\\sqrt{2}}\"}"));
        Path out = dir.resolve("sub/graded.jsonl");
        Run run = run("--input", input.toString(), "--dataset", "math", "--out", out.toString());
        assertEquals(0, run.exit(), String.valueOf(run.error()));
        assertTrue(run.out().contains("graded 4 rows: accuracy 75.00% (3 correct)"), run.out());
        List<JsonNode> rows = readRows(out);
        assertEquals(4, rows.size());
        assertEquals("\\dfrac{1}{2}", rows.get(0).get("extracted").asText());
        assertEquals("boxed", rows.get(0).get("rule").asText());
        assertTrue(rows.get(0).get("correct").asBoolean());
        assertEquals(1, rows.get(0).get("id").asInt());
        assertEquals("the answer is", rows.get(1).get("rule").asText());
        assertTrue(rows.get(1).get("correct").asBoolean());
        assertFalse(rows.get(1).get("strict_correct").asBoolean(), "strict: 7 is an integer, 14/2 is not written as one");
        assertFalse(rows.get(2).get("correct").asBoolean());
        assertEquals("symbolic", rows.get(3).get("reason").asText());
        try (var files = Files.list(out.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void gsm8kReferencesAndCustomFields() throws IOException {
        Path input = dir.resolve("g.jsonl");
        Files.writeString(input, "{\"completion\":\"3 + 4 = 7 so\\n#### 1,007\",\"gold\":\"blah\\n#### 1,007\"}\n");
        Path out = dir.resolve("g.out.jsonl");
        Run run = run("--input", input.toString(), "--dataset", "gsm8k", "--prediction-field", "completion",
                "--reference-field", "gold", "--out", out.toString());
        assertEquals(0, run.exit(), String.valueOf(run.error()));
        JsonNode row = readRows(out).get(0);
        assertEquals("1007", row.get("extracted").asText());
        assertTrue(row.get("correct").asBoolean());
        assertTrue(row.get("strict_correct").asBoolean());
    }

    @Test
    void badJsonNamesFileAndLine() throws IOException {
        Path input = dir.resolve("bad.jsonl");
        Files.writeString(input, "{\"prediction\":\"1\",\"reference\":\"1\"}\n{\"prediction\": oops}\n");
        Path out = dir.resolve("bad.out.jsonl");
        Run run = run("--input", input.toString(), "--out", out.toString());
        assertEquals(ExitCode.BAD_INPUT, run.exit());
        UserError error = assertInstanceOf(UserError.class, run.error());
        assertTrue(error.getMessage().startsWith(input + ":2: invalid JSON"), error.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void missingFieldNamesTheField() throws IOException {
        Path input = dir.resolve("missing.jsonl");
        Files.writeString(input, "{\"prediction\":\"1\"}\n");
        Run run = run("--input", input.toString(), "--out", dir.resolve("m.out").toString());
        UserError error = assertInstanceOf(UserError.class, run.error());
        assertEquals(input + ":1: field 'reference': missing", error.getMessage());
    }

    @Test
    void everyGraderGradesEveryRowAndTheChosenOneDecides() throws IOException {
        Path input = dir.resolve("gsm.jsonl");
        Files.writeString(input, String.join("\n",
                "{\"prediction\":\"3 + 4 = 7 apples.\\n#### 7\",\"reference\":\"7\"}",
                "{\"prediction\":\"The answer is 7.\",\"reference\":\"7\"}",
                "{\"prediction\":\"The answer is 8.\",\"reference\":\"7\"}"));
        Path out = dir.resolve("graded.jsonl");
        Run r = run("--input", input.toString(), "--dataset", "gsm8k", "--grader", "lm-eval", "--out", out.toString());
        assertEquals(0, r.exit(), String.valueOf(r.error()));
        List<JsonNode> rows = readRows(out);
        for (JsonNode row : rows) {
            assertEquals("lm-eval", row.get("grader").asText());
            assertEquals(row.get("graders").get("lm-eval").get("correct").asBoolean(), row.get("correct").asBoolean());
        }
        assertEquals(List.of(true, false, false), rows.stream().map(n -> n.get("correct").asBoolean()).toList(),
                "strict-match needs '#### N'");
        assertEquals(List.of(true, true, false),
                rows.stream().map(n -> n.get("graders").get("qwen").get("correct").asBoolean()).toList());
        assertEquals("7", rows.get(1).get("graders").get("qwen").get("normalized").asText());
        assertTrue(r.out().contains("graders: mathtune 66.67%, qwen 66.67%, lm-eval 33.33%, lm-eval-flexible 66.67%,"
                + " disagree on 1 rows"), r.out());
    }

    @Test
    void unknownGraderIsAUserError() throws IOException {
        Path input = dir.resolve("one.jsonl");
        Files.writeString(input, "{\"prediction\":\"7\",\"reference\":\"7\"}");
        Run r = run("--input", input.toString(), "--grader", "sympy", "--out", dir.resolve("o.jsonl").toString());
        assertEquals(ExitCode.BAD_INPUT, r.exit());
        assertInstanceOf(UserError.class, r.error());
        assertTrue(r.error().getMessage().contains("--grader: unknown grader 'sympy' (expected mathtune, qwen, lm-eval)"),
                r.error().getMessage());
    }
}
