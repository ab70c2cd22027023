package dev.mathtune.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path GSM8K_TEST = DecontaminatorTest.DATA.resolve("gsm8k/test.jsonl");
    private static final int FULL_RUN_REQUESTS = 8 + (10 + 6 * 4) + (20 + 17 * 4);
    private static Path input;
    private static String janet;

    @TempDir
    static Path shared;
    private static Path reference;

    @BeforeAll
    static void referenceRun() throws Exception {
        input = Path.of(AugmentRunnerTest.class.getResource("/augment/input-gsm8k.jsonl").toURI());
        janet = JSON.readTree(Files.readAllLines(GSM8K_TEST).get(0)).get("question").asText();
        reference = shared.resolve("reference");
        run(reference, Integer.MAX_VALUE, 16);
    }

    private static AugmentSpec spec(Path dir, int batchSize, int paths) {
        return AugmentSpec.builder(input, DatasetKind.GSM8K, dir.resolve("aug.jsonl"))
                .rounds(2).originals(true).paths(paths).minAgreement(2).batchSize(batchSize)
                .decontaminate(List.of(GSM8K_TEST)).build();
    }

    private static AugmentSummary run(Path dir, int failAfter, int batchSize) throws IOException {
        ScriptedTeacher teacher = new ScriptedTeacher(janet, failAfter);
        return new AugmentRunner(spec(dir, batchSize, 4), teacher, new LastNumberGrader(), null).run();
    }

    @Test
    void countsAddUpPerReasonRoundAndOp() throws IOException {
        JsonNode s = JSON.readTree(reference.resolve("aug.summary.json").toFile());
        assertEquals(JSON.readTree("{\"read\":4,\"contaminated\":1,\"duplicate\":1,\"used\":2}"), s.get("inputs"));
        JsonNode total = s.get("total");
        assertEquals(32, total.get("items").asInt());
        assertEquals(23, total.at("/questions/kept").asInt());
        assertEquals(JSON.readTree("{\"malformed\":2,\"too_long\":0,\"contaminated\":1,\"duplicate\":4,"
                + "\"low_agreement\":1,\"no_valid_path\":1}"), total.at("/questions/dropped"));
        assertEquals(4 * (23 + 1 + 1), total.at("/paths/sampled").asInt());
        assertEquals(40, total.at("/paths/kept").asInt());
        assertEquals(JSON.readTree("{\"too_long\":4,\"no_answer\":6,\"wrong_answer\":2,\"minority\":21,"
                + "\"low_agreement\":4,\"duplicate\":23}"), total.at("/paths/dropped"));
        assertEquals(40, total.get("rows").asInt());
        assertEquals(List.of(2, 10, 20), List.of(s.at("/rounds/0/items").asInt(), s.at("/rounds/1/items").asInt(),
                s.at("/rounds/2/items").asInt()));
        assertEquals(3, s.at("/rounds/2/questions/dropped/duplicate").asInt(), "evolved-evolved duplicates");
        assertEquals(List.of(6, 4, 1), List.of(s.at("/ops/fractions-percentages/items").asInt(),
                s.at("/ops/fractions-percentages/questions/kept").asInt(),
                s.at("/ops/fractions-percentages/questions/dropped/malformed").asInt()));
        assertEquals(2, s.get("malformed_reasons").size());
        s.get("checks").properties().forEach(e -> assertTrue(e.getValue().asBoolean(), e.getKey()));
        assertTrue(s.get("complete").asBoolean());
    }

    @Test
    void rowsCarryTrainingFieldsAndProvenanceAndNoContamination() throws IOException {
        List<JsonNode> rows = rows(reference);
        assertEquals(40, rows.size());
        Set<String> ids = new HashSet<>();
        Decontaminator test = Decontaminator.fromFiles(List.of(GSM8K_TEST), 13);
        for (JsonNode row : rows) {
            assertTrue(ids.add(row.get("id").asText()), "unique id " + row.get("id"));
            assertTrue(row.get("answer").asText().matches("(?s).*\\n#### -?\\d+"), row.toString());
            assertFalse(test.isContaminated(row.get("question").asText()), "contaminated row " + row);
            assertEquals("scripted-teacher", row.get("teacher").asText());
            assertEquals(0.7, row.get("temperature").asDouble());
            assertEquals(4, row.at("/votes/of").asInt());
            assertTrue(row.at("/votes/agree").asInt() >= 2);
        }
        JsonNode first = rows.get(0);
        assertEquals(ScriptedTeacher.TOM, first.get("question").asText());
        assertEquals("original", first.get("op").asText());
        assertEquals("gold", first.at("/votes/against").asText());
        assertEquals("First, 6 + 1 = 7.\n#### 7", first.get("answer").asText());
        JsonNode deep = rows.get(rows.size() - 1);
        assertEquals(2, deep.get("round").asInt());
        assertEquals("gsm8k:2/increase-complexity@1", deep.get("source_id").asText());
        assertEquals("majority", deep.at("/votes/against").asText());
        assertEquals(List.of("question", "answer"), fieldNames(first).subList(0, 2));
    }

    @Test
    void killedRunsResumeToTheUninterruptedResult(@TempDir Path dir) throws IOException {
        for (int failAfter : new int[] {1, 9, 37, 60, 90, FULL_RUN_REQUESTS - 1}) {
            Path d = dir.resolve("kill" + failAfter);
            assertThrows(IllegalStateException.class, () -> run(d, failAfter, 3));
            long journaled = Files.readAllLines(d.resolve("aug.jsonl.progress.jsonl")).size() - 1;
            ScriptedTeacher resumed = new ScriptedTeacher(janet, Integer.MAX_VALUE);
            new AugmentRunner(spec(d, 3, 4), resumed, new LastNumberGrader(), null).run();
            assertEquals(journaled > 0, resumed.served() < FULL_RUN_REQUESTS, "journaled items are not regenerated");
            assertSameAsReference(d);
        }
    }

    @Test
    void repeatedKillsAndTornLinesAreRepaired(@TempDir Path dir) throws IOException {
        assertThrows(IllegalStateException.class, () -> run(dir, 20, 3));
        assertThrows(IllegalStateException.class, () -> run(dir, 45, 3));
        String orphan = rows(reference).get(20).toString();
        Files.writeString(dir.resolve("aug.jsonl"), orphan + "\n{\"question\": \"half a ro", StandardOpenOption.APPEND);
        Files.writeString(dir.resolve("aug.jsonl.progress.jsonl"), "{\"key\": \"gsm8k:1|ch", StandardOpenOption.APPEND);
        run(dir, Integer.MAX_VALUE, 5);
        assertSameAsReference(dir);
        ScriptedTeacher again = new ScriptedTeacher(janet, Integer.MAX_VALUE);
        new AugmentRunner(spec(dir, 5, 4), again, new LastNumberGrader(), null).run();
        assertEquals(0, again.served(), "a finished run generates nothing when re-run");
        assertSameAsReference(dir);
    }

    @Test
    void refusesAJournalFromOtherSettingsAndAnUnjournaledOutput(@TempDir Path dir) throws IOException {
        run(dir, Integer.MAX_VALUE, 16);
        ScriptedTeacher teacher = new ScriptedTeacher(janet, Integer.MAX_VALUE);
        UserError e = assertThrows(UserError.class,
                () -> new AugmentRunner(spec(dir, 16, 3), teacher, new LastNumberGrader(), null).run());
        assertTrue(e.getMessage().contains("different settings"), e.getMessage());
        Files.delete(dir.resolve("aug.jsonl.progress.jsonl"));
        assertThrows(UserError.class, () -> run(dir, Integer.MAX_VALUE, 16));
        assertEquals(0, teacher.served());
    }

    private static void assertSameAsReference(Path dir) throws IOException {
        assertArrayEquals(Files.readAllBytes(reference.resolve("aug.jsonl")), Files.readAllBytes(dir.resolve("aug.jsonl")),
                "rows of " + dir);
        assertEquals(JSON.readTree(reference.resolve("aug.summary.json").toFile()),
                JSON.readTree(dir.resolve("aug.summary.json").toFile()), "summary of " + dir);
        List<String> lines = Files.readAllLines(dir.resolve("aug.jsonl.progress.jsonl"));
        Set<String> keys = new HashSet<>();
        for (String line : lines.subList(1, lines.size())) {
            assertTrue(keys.add(JSON.readTree(line).get("key").asText()), "key journaled twice: " + line);
        }
        assertEquals(32, keys.size());
    }

    private static List<JsonNode> rows(Path dir) throws IOException {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("aug.jsonl"))) {
            rows.add(JSON.readTree(line));
        }
        return rows;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
