package dev.mathtune.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;
import dev.mathtune.eval.grade.Extraction;
import dev.mathtune.eval.grade.MathAnswerGrader;
import dev.mathtune.eval.grade.Verdict;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mathtune grade}: grades a JSONL file of predictions. Each row's prediction (a full completion or a bare
 * answer) goes through answer extraction, then is graded against the row's reference (a bare answer, or a full
 * GSM8K/MATH solution whose final answer is taken). Every row is written to {@code --out} with {@code extracted},
 * {@code rule}, {@code correct}, {@code reason} and {@code strict_correct} added; the file appears atomically
 * (written to a temporary file, then renamed). Prints the lenient and strict accuracy.
 */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = "Grade predictions in a JSONL file against references (lenient and strict PRM800K verdicts).")
public final class GradeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, description = "JSONL file with a prediction and a reference per row.")
    Path input;

    @Option(names = "--dataset", defaultValue = "math", description = "gsm8k or math (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--prediction-field", defaultValue = "prediction", description = "Field of the prediction.")
    String predictionField;

    @Option(names = "--reference-field", defaultValue = "reference", description = "Field of the reference.")
    String referenceField;

    @Option(names = "--out", required = true, description = "JSONL file to write the graded rows to.")
    Path out;

    private record Tally(int rows, int correct, int strictCorrect) {
        Tally plus(boolean lenient, boolean strict) {
            return new Tally(rows + 1, correct + (lenient ? 1 : 0), strictCorrect + (strict ? 1 : 0));
        }
    }

    @Override
    public Integer call() throws IOException {
        MathAnswerGrader grader = new MathAnswerGrader(parseDataset());
        if (!Files.isRegularFile(input)) {
            throw UserError.inFile(input, "no such file");
        }
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
        try {
            Tally tally = gradeAll(grader, tmp);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            report(tally);
            return ExitCode.OK;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private MathAnswerGrader.Dataset parseDataset() {
        try {
            return MathAnswerGrader.Dataset.parse(dataset);
        } catch (IllegalArgumentException e) {
            throw new UserError("--dataset: " + e.getMessage());
        }
    }

    private Tally gradeAll(MathAnswerGrader grader, Path tmp) throws IOException {
        Tally tally = new Tally(0, 0, 0);
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            long lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode row = gradeRow(grader, parseRow(line, lineNo), lineNo);
                tally = tally.plus(row.get("correct").asBoolean(), row.get("strict_correct").asBoolean());
                w.write(JSON.writeValueAsString(row));
                w.newLine();
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (tally.rows() == 0) {
            throw UserError.inFile(input, "no rows to grade");
        }
        return tally;
    }

    private ObjectNode parseRow(String line, long lineNo) {
        try {
            JsonNode node = JSON.readTree(line);
            if (!(node instanceof ObjectNode object)) {
                throw UserError.atLine(input, lineNo, null, "expected a JSON object");
            }
            return object;
        } catch (JsonProcessingException e) {
            throw UserError.atLine(input, lineNo, null, "invalid JSON: " + e.getOriginalMessage());
        }
    }

    private ObjectNode gradeRow(MathAnswerGrader grader, ObjectNode row, long lineNo) {
        String prediction = textField(row, predictionField, lineNo);
        String reference = grader.reference(textField(row, referenceField, lineNo));
        Extraction extraction = grader.extract(prediction);
        Verdict lenient = grader.grade(extraction.answer(), reference);
        Verdict strict = grader.gradeStrict(extraction.answer(), reference);
        row.put("extracted", extraction.answer());
        row.put("rule", extraction.rule());
        row.put("correct", lenient.correct());
        row.put("reason", lenient.reason());
        row.put("strict_correct", strict.correct());
        return row;
    }

    private String textField(ObjectNode row, String field, long lineNo) {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            throw UserError.atLine(input, lineNo, field, "missing");
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw UserError.atLine(input, lineNo, field, "expected a string, got " + value.getNodeType());
        }
        return value.asText();
    }

    private void report(Tally t) {
        spec.commandLine().getOut().printf("graded %d rows: accuracy %.2f%% (%d correct), strict %.2f%% (%d correct)%n",
                t.rows(), 100.0 * t.correct() / t.rows(), t.correct(), 100.0 * t.strictCorrect() / t.rows(),
                t.strictCorrect());
        spec.commandLine().getOut().printf("wrote %s%n", out);
        spec.commandLine().getOut().flush();
    }
}
