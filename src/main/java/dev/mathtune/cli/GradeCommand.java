package dev.mathtune.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.UserError;
import dev.mathtune.eval.grade.Extraction;
import dev.mathtune.eval.grade.GraderName;
import dev.mathtune.eval.grade.GraderOutcome;
import dev.mathtune.eval.grade.GraderPanel;
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
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mathtune grade}: grades a JSONL file of predictions. Each row's prediction (a full completion or a bare
 * answer) goes through answer extraction, then is graded against the row's reference (a bare answer, or a full
 * GSM8K/MATH solution whose final answer is taken). Every row is written to {@code --out} with {@code extracted},
 * {@code rule}, {@code correct}, {@code reason} and {@code strict_correct} added, and {@code graders}: every
 * grader's extracted and normalised answer and verdict ({@link GraderPanel}); {@code correct} and {@code reason} are
 * the {@code --grader}'s (mathtune's lenient verdict by default). The file appears atomically (written to a temporary
 * file, then renamed). Prints the accuracy, the strict accuracy, each grader's accuracy and the rows where the graders
 * disagree.
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

    @Option(names = "--grader", defaultValue = "mathtune",
            description = "Primary grader: mathtune, qwen or lm-eval (default: ${DEFAULT-VALUE}); all three are run.")
    String grader;

    @Option(names = "--prompt", description = "Prompt the completions were made with (lm-eval's strict-match pattern "
            + "follows it: lm-eval-gsm8k-cot uses gsm8k-cot.yaml's).")
    String prompt;

    private record Tally(int rows, int correct, int strictCorrect, Map<String, Integer> byGrader, int disagree) {
        Tally plus(boolean lenient, boolean strict, Map<String, GraderOutcome> graders) {
            Map<String, Integer> counts = new LinkedHashMap<>(byGrader);
            graders.forEach((name, o) -> counts.merge(name, o.correct() ? 1 : 0, Integer::sum));
            return new Tally(rows + 1, correct + (lenient ? 1 : 0), strictCorrect + (strict ? 1 : 0), counts,
                    disagree + (GraderPanel.disagree(graders) ? 1 : 0));
        }
    }

    /** {@code --grader}'s value as a {@link GraderName}; a bad name is a {@link UserError}. */
    static GraderName parseGrader(String name) {
        try {
            return GraderName.parse(name);
        } catch (IllegalArgumentException e) {
            throw new UserError("--grader: " + e.getMessage());
        }
    }

    /** {@code graders: mathtune 51.00%, qwen 50.00%, ...; disagree on N rows}. */
    static String graderLine(Map<String, dev.mathtune.eval.Accuracy> accuracies, Integer disagree) {
        StringBuilder line = new StringBuilder("graders:");
        accuracies.forEach((name, a) -> line.append(String.format(Locale.ROOT, " %s %.2f%%,", name, 100 * a.accuracy())));
        return line.append(" disagree on ").append(disagree).append(" rows").toString();
    }

    @Override
    public Integer call() throws IOException {
        MathAnswerGrader mathtune = new MathAnswerGrader(parseDataset());
        GraderPanel panel = new GraderPanel(parseGrader(grader), mathtune, mathtune.dataset(), prompt);
        if (!Files.isRegularFile(input)) {
            throw UserError.inFile(input, "no such file");
        }
        Path dir = out.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
        try {
            Tally tally = gradeAll(mathtune, panel, tmp);
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

    private Tally gradeAll(MathAnswerGrader grader, GraderPanel panel, Path tmp) throws IOException {
        Tally tally = new Tally(0, 0, 0, Map.of(), 0);
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            long lineNo = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                ObjectNode row = parseRow(line, lineNo);
                Map<String, GraderOutcome> graders = gradeRow(grader, panel, row, lineNo);
                tally = tally.plus(row.get("correct").asBoolean(), row.get("strict_correct").asBoolean(), graders);
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

    /** Adds the verdicts to {@code row} and returns every grader's outcome. */
    private Map<String, GraderOutcome> gradeRow(MathAnswerGrader grader, GraderPanel panel, ObjectNode row,
                                                long lineNo) {
        String prediction = textField(row, predictionField, lineNo);
        String reference = grader.reference(textField(row, referenceField, lineNo));
        Extraction extraction = grader.extract(prediction);
        Verdict lenient = grader.grade(extraction.answer(), reference);
        Verdict strict = grader.gradeStrict(extraction.answer(), reference);
        Map<String, GraderOutcome> graders = panel.grade(prediction, reference);
        GraderOutcome primary = graders.get(panel.primary().wireName());
        boolean mathtune = panel.primary() == GraderName.MATHTUNE;
        row.put("extracted", extraction.answer());
        row.put("rule", extraction.rule());
        row.put("correct", mathtune ? lenient.correct() : primary.correct());
        row.put("reason", mathtune ? lenient.reason() : primary.reason());
        row.put("strict_correct", strict.correct());
        row.put("grader", panel.primary().wireName());
        row.set("graders", JSON.valueToTree(graders));
        return graders;
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
        Map<String, dev.mathtune.eval.Accuracy> accuracies = new LinkedHashMap<>();
        t.byGrader().forEach((name, c) -> accuracies.put(name, dev.mathtune.eval.Accuracy.of(c, t.rows())));
        spec.commandLine().getOut().println(graderLine(accuracies, t.disagree()));
        spec.commandLine().getOut().printf("wrote %s%n", out);
        spec.commandLine().getOut().flush();
    }
}
