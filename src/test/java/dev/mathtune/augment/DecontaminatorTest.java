package dev.mathtune.augment;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecontaminatorTest {
    static final Path DATA = Path.of(System.getProperty("mathtune.shared", "/work/shared"), "data");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Decontaminator benchmarks() throws IOException {
        return Decontaminator.fromFiles(List.of(DATA.resolve("gsm8k/test.jsonl"), DATA.resolve("math500/test.jsonl")),
                Decontaminator.DEFAULT_NGRAM);
    }

    @Test
    void flagsRealTestQuestionsVerbatimReformattedAndEmbedded() throws IOException {
        Decontaminator d = benchmarks();
        assertEquals(1319 + 500, d.questionCount());
        String gsm = line(DATA.resolve("gsm8k/test.jsonl"), 100, "question");
        String math = line(DATA.resolve("math500/test.jsonl"), 7, "problem");
        assertTrue(d.isContaminated(gsm));
        assertTrue(d.isContaminated(math));
        assertTrue(d.isContaminated(gsm.toUpperCase().replace(" ", "  ")), "case and spacing are normalised");
        assertTrue(d.isContaminated("Here is a twist. " + gsm + " Then double it."), "embedded in a longer question");
    }

    @Test
    void leavesTrainingQuestionsAlone() throws IOException {
        Decontaminator d = benchmarks();
        int flagged = 0;
        try (BufferedReader in = Files.newBufferedReader(DATA.resolve("gsm8k/train.jsonl"))) {
            for (int i = 0; i < 300; i++) {
                if (d.isContaminated(JSON.readTree(in.readLine()).get("question").asText())) {
                    flagged++;
                }
            }
        }
        assertTrue(flagged <= 3, "13-gram false positives on training questions: " + flagged);
    }

    @Test
    void sharesAThirteenGramButNotATwelveGram() {
        String test = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
        Decontaminator d = Decontaminator.of(List.of(test), 13);
        assertTrue(d.match("zero one two three four five six seven eight nine ten eleven twelve thirteen end").isPresent());
        assertFalse(d.isContaminated("zero one two three four five six seven eight nine ten eleven twelve end"));
        assertEquals("one two three four five six seven eight nine ten eleven twelve thirteen",
                d.match("one two three four five six seven eight nine ten eleven twelve thirteen").orElseThrow());
    }

    @Test
    void shortTestQuestionsMatchAsAWholeSequence() {
        Decontaminator d = Decontaminator.of(List.of("What is 2 + 3?"), 13);
        assertTrue(d.isContaminated("Quick one: what is 2+3?"));
        assertFalse(d.isContaminated("What is 2 + 33?"));
    }

    @Test
    void badFilesAreUserErrors(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"question\": \"ok question here\"}\n{\"text\": 1}\n");
        UserError e = assertThrows(UserError.class, () -> Decontaminator.fromFiles(List.of(bad), 13));
        assertTrue(e.getMessage().contains("bad.jsonl:2"), e.getMessage());
        assertThrows(UserError.class, () -> Decontaminator.fromFiles(List.of(dir.resolve("missing.jsonl")), 13));
    }

    private static String line(Path file, int index, String field) throws IOException {
        return JSON.readTree(Files.readAllLines(file).get(index)).get(field).asText();
    }
}
