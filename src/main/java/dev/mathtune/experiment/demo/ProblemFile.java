package dev.mathtune.experiment.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSONL file of problems in GSM8K's format: one object per line with the fields {@code question} and
 * {@code answer} only, so that {@code mathtune train} and {@code mathtune eval} read it like GSM8K.
 */
public final class ProblemFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemFile() {
    }

    /** Writes {@code problems} to {@code file} atomically (a temporary file in the same folder, then a rename). */
    public static void write(Path file, List<Problem> problems) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (Problem p : problems) {
                    ObjectNode row = JSON.createObjectNode().put("question", p.question()).put("answer", p.answer());
                    out.write(JSON.writeValueAsString(row));
                    out.write('\n');
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(temp);
                throw e;
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Reads a GSM8K-format JSONL file back as problems, skipping blank lines: the final answer is the number
     * after {@code ####}, the level the number of solution lines before it, and the template {@code "file"}.
     */
    public static List<Problem> read(Path file) {
        try {
            List<Problem> problems = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JsonNode row = JSON.readTree(line);
                    problems.add(problem(row.path("question").asText(), row.path("answer").asText()));
                }
            }
            return problems;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Problem problem(String question, String answer) {
        int mark = answer.lastIndexOf("####");
        if (mark < 0) {
            throw new IllegalArgumentException("answer has no '####' line: " + answer);
        }
        long finalAnswer = Long.parseLong(answer.substring(mark + 4).trim().replace(",", ""));
        int steps = (int) answer.substring(0, mark).lines().filter(l -> !l.isBlank()).count();
        return new Problem(question, answer, finalAnswer, steps, "file");
    }
}
