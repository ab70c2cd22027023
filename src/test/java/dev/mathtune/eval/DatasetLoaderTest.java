package dev.mathtune.eval;

import dev.mathtune.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetLoaderTest {
    static final Path DATA = Path.of(System.getProperty("mathtune.shared", "../shared"), "data");

    @TempDir
    Path tmp;

    @Test
    void gsm8kTestHas1319ItemsWithCommaFreeReferences() {
        EvalDataset ds = DatasetLoader.load(DatasetSpec.of(DATA.resolve("gsm8k/test.jsonl")));
        assertEquals(DatasetKind.GSM8K, ds.kind());
        assertEquals("gsm8k-test", ds.name());
        assertEquals(1319, ds.items().size());
        EvalItem first = ds.items().get(0);
        assertEquals("gsm8k-test-0000", first.id());
        assertEquals("18", first.reference());
        assertTrue(first.question().startsWith("Janet"));
        assertNull(first.subject());
        assertEquals("2125", ds.items().get(146).reference());
        assertEquals("1450000", ds.items().get(611).reference());
        assertEquals("gsm8k-test-1318", ds.items().get(1318).id());
        assertTrue(ds.items().stream().allMatch(i -> i.reference().matches("-?\\d+(\\.\\d+)?")));
    }

    @Test
    void math500Has500ItemsWithSubjectsAndLevels() {
        EvalDataset ds = DatasetLoader.load(DatasetSpec.of(DATA.resolve("math500/test.jsonl")));
        assertEquals(DatasetKind.MATH, ds.kind());
        assertEquals(500, ds.items().size());
        EvalItem first = ds.items().get(0);
        assertEquals("test/precalculus/807.json", first.id());
        assertEquals("\\left( 3, \\frac{\\pi}{2} \\right)", first.reference());
        assertEquals("Precalculus", first.subject());
        assertEquals(2, first.level());
        Map<String, Long> subjects = ds.items().stream().collect(Collectors.groupingBy(EvalItem::subject, Collectors.counting()));
        assertEquals(124L, subjects.get("Algebra"));
        assertEquals(38L, subjects.get("Counting & Probability"));
        assertEquals(7, subjects.size());
        Map<Integer, Long> levels = ds.items().stream().collect(Collectors.groupingBy(EvalItem::level, Collectors.counting()));
        assertEquals(Map.of(1, 43L, 2, 90L, 3, 105L, 4, 128L, 5, 134L), levels);
    }

    @Test
    void mathTrainTakesTheLastBoxedAnswerAndParsesLevelStrings() {
        Path train = DATA.resolve("math/train.jsonl");
        EvalDataset ds = DatasetLoader.load(DatasetSpec.of(train).withLimit(5000));
        assertEquals(5000, ds.items().size());
        EvalItem first = ds.items().get(0);
        assertEquals("train/algebra/0.json", first.id());
        assertEquals("0", first.reference());
        assertEquals("Algebra", first.subject());
        assertEquals(5, first.level());
        assertEquals(0, ds.items().get(2720).level(), "'Level ?' is unknown");
        assertTrue(ds.items().stream().noneMatch(i -> i.reference().isBlank()));
        UserError emptyBox = assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.of(train)));
        assertEquals(train + ":5530: field 'solution': no \\boxed{} answer and no 'answer' field", emptyBox.getMessage());
    }

    @Test
    void math500AnswersEqualTheLastBoxedOfTheirSolutions() throws Exception {
        Path noAnswer = tmp.resolve("m.jsonl");
        List<String> lines = Files.readAllLines(DATA.resolve("math500/test.jsonl"));
        Files.write(noAnswer, lines.stream().map(l -> l.replaceFirst("\"answer\": \"(?:[^\"\\\\]|\\\\.)*\", ", "")).toList());
        List<EvalItem> withAnswer = DatasetLoader.load(DatasetSpec.of(DATA.resolve("math500/test.jsonl"))).items();
        List<EvalItem> fromBoxed = DatasetLoader.load(DatasetSpec.of(noAnswer)).items();
        assertTrue(Files.readString(noAnswer).lines().noneMatch(l -> l.contains("\"answer\"")));
        for (int i = 0; i < 500; i++) {
            assertEquals(withAnswer.get(i).reference(), fromBoxed.get(i).reference(), withAnswer.get(i).id());
        }
    }

    @Test
    void limitKeepsTheLeadingRows() {
        EvalDataset ds = DatasetLoader.load(DatasetSpec.of(DATA.resolve("gsm8k/test.jsonl")).withLimit(7));
        assertEquals(7, ds.items().size());
        assertEquals("gsm8k-test-0006", ds.items().get(6).id());
    }

    @Test
    void customFieldsAreReadByName() throws Exception {
        Path file = tmp.resolve("aug.jsonl");
        Files.writeString(file, "{\"query\": \"1+1?\", \"response\": \" 2 \"}\n\n{\"query\": \"2+2?\", \"response\": 4}\n");
        EvalDataset ds = DatasetLoader.load(new DatasetSpec(file, DatasetKind.AUTO, "query", "response", 0));
        assertEquals(DatasetKind.FIELDS, ds.kind());
        assertEquals(List.of("2", "4"), ds.items().stream().map(EvalItem::reference).toList());
        assertEquals(tmp.getFileName() + "-aug-0001", ds.items().get(1).id());
    }

    @Test
    void malformedLinesNameFileLineAndField() throws Exception {
        Path file = tmp.resolve("bad.jsonl");
        Files.writeString(file, "{\"question\": \"q\", \"answer\": \"x\\n#### 3\"}\n{\"question\": \"q2\", \"answer\": \"no marker\"}\n");
        UserError e = assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.of(file)));
        assertEquals(file + ":2: field 'answer': no final answer after '####'", e.getMessage());

        Files.writeString(file, "{\"question\": \"q\", \"answer\": \"#### 3\"}\n{\"question\": \n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.of(file)));
        assertTrue(e.getMessage().startsWith(file + ":2: not valid JSON"), e.getMessage());

        Files.writeString(file, "{\"problem\": \"p\", \"solution\": \"no box\", \"level\": \"Level 2\"}\n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.of(file)));
        assertTrue(e.getMessage().startsWith(file + ":1: field 'solution'"), e.getMessage());

        Files.writeString(file, "{\"problem\": \"p\", \"answer\": \"1\", \"level\": \"hard\"}\n");
        e = assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.of(file)));
        assertTrue(e.getMessage().startsWith(file + ":1: field 'level'"), e.getMessage());

        Files.writeString(file, "{\"text\": \"p\"}\n");
        assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.of(file)));
        assertThrows(UserError.class, () -> DatasetLoader.load(DatasetSpec.of(tmp.resolve("missing.jsonl"))));
    }

    @Test
    void parquetIsReadThroughDuckDb() throws Exception {
        Path json = tmp.resolve("src.jsonl");
        Files.write(json, Files.readAllLines(DATA.resolve("math500/test.jsonl")).subList(0, 20));
        Path parquet = tmp.resolve("math500.parquet");
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("COPY (SELECT * FROM read_json_auto('" + json + "')) TO '" + parquet + "' (FORMAT PARQUET)");
        }
        EvalDataset fromParquet = DatasetLoader.load(DatasetSpec.of(parquet));
        EvalDataset fromJson = DatasetLoader.load(DatasetSpec.of(json));
        assertEquals(DatasetKind.MATH, fromParquet.kind());
        assertEquals(fromJson.items(), fromParquet.items());
        assertEquals(5, DatasetLoader.load(DatasetSpec.of(parquet).withLimit(5)).items().size());
    }

    @Test
    void boxedAnswersMatchBraces() {
        assertEquals("\\frac{1}{2}", BoxedAnswer.last("so \\boxed{3} then $\\boxed{\\frac{1}{2}}$."));
        assertEquals("\\{1,2\\}", BoxedAnswer.last("\\boxed{\\{1,2\\}}"));
        assertEquals("7", BoxedAnswer.last("\\fbox{7}"));
        // a backslash escapes the next character: \\ (a LaTeX line break) is one unit, and the { after it opens a group
        assertEquals("a \\\\ {b}", BoxedAnswer.last("\\boxed{a \\\\ {b}} rest"));
        assertNull(BoxedAnswer.last("\\boxed{unclosed"));
        assertNull(BoxedAnswer.last("no box"));
        assertEquals("2", BoxedAnswer.last("answer is $\\boxed 2$."));
        assertNull(BoxedAnswer.last("\\boxedx"));
        Function<String, String> gsm = a -> GsmAnswer.parse(a).asChainOfThought();
        assertEquals("He has 2*3 = 6 apples.\nThe answer is 1200.", gsm.apply("He has 2*3 = <<2*3=6>>6 apples.\n#### 1,200"));
    }
}
