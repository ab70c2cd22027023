package dev.mathtune.experiment.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProblemFileTest {
    @TempDir
    Path dir;

    @Test
    void writesGsm8kFieldsAndReadsThemBack() throws Exception {
        List<Problem> problems = new SyntheticProblems().generate(3, 20, 4);
        Path file = dir.resolve("sub/train.jsonl");
        ProblemFile.write(file, problems);
        List<String> lines = Files.readAllLines(file);
        assertEquals(20, lines.size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals(2, first.size());
        assertEquals(problems.get(0).question(), first.get("question").asText());
        assertEquals(problems.get(0).answer(), first.get("answer").asText());
        List<Problem> back = ProblemFile.read(file);
        for (int i = 0; i < problems.size(); i++) {
            assertEquals(problems.get(i).question(), back.get(i).question());
            assertEquals(problems.get(i).answer(), back.get(i).answer());
            assertEquals(problems.get(i).finalAnswer(), back.get(i).finalAnswer());
            assertEquals(3, back.get(i).level());
        }
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }
}
