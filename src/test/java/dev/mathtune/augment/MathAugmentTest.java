package dev.mathtune.augment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AugMATH on the first real MATH training problems, with MATH500 decontamination and a text-prompt teacher. */
class MathAugmentTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DATA = DecontaminatorTest.DATA;

    /** Evolves by appending a clause (combine-concepts leaks a MATH500 problem); solves with a boxed 5. */
    private record MathTeacher(String leaked) implements TextGenerator {
        @Override
        public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
            requests.parallelStream().forEach(r -> sink.accept(new Completion(r.id(), answer(r), List.of(),
                    FinishReason.STOP, 100, 50, 0.01)));
        }

        private String answer(GenerationRequest r) {
            String prompt = r.prompt();
            if (prompt.startsWith("Solve the following")) {
                int i = Integer.parseInt(r.id().substring(r.id().lastIndexOf('|') + 1));
                return i == 2 ? "We find $x = 4$, so $\\boxed{4}$." : "Step " + i + ": $2 + 3 = 5$, so the answer is $\\boxed{5}$.";
            }
            String original = prompt.substring(prompt.indexOf("Original problem:\n") + 18, prompt.indexOf("\n\nOriginal solution:"));
            if (prompt.contains("Operation: combine concepts")) {
                return "**New Problem:** " + leaked + "\n**Solution:** It is $\\boxed{1}$.";
            }
            String op = prompt.substring(prompt.indexOf("Operation: ") + 11, prompt.indexOf('.', prompt.indexOf("Operation: ")));
            return "New problem: " + original + " Then also " + op + ".\nSolution: Work it out: $\\boxed{5}$.\nDone!";
        }

        @Override
        public String describe() {
            return "math-teacher";
        }
    }

    @Test
    void evolvesRealMathProblemsIntoProblemSolutionRows(@TempDir Path dir) throws IOException {
        String leaked = JSON.readTree(Files.readAllLines(DATA.resolve("math500/test.jsonl")).get(3)).get("problem").asText();
        AugmentSpec spec = AugmentSpec.builder(DATA.resolve("math/train.jsonl"), DatasetKind.MATH, dir.resolve("m.jsonl"))
                .limit(3).paths(3).chat(false).ops(EvolutionOp.parseList("change-numbers,combine-concepts"))
                .decontaminate(List.of(DATA.resolve("math500/test.jsonl"))).build();
        AugmentSummary summary = new AugmentRunner(spec, new MathTeacher(leaked), new LastNumberGrader(), null).run();

        assertTrue(summary.addsUp());
        assertEquals(6, summary.total().items());
        assertEquals(3, summary.total().questions(QuestionOutcome.CONTAMINATED));
        assertEquals(3, summary.total().questions(QuestionOutcome.KEPT));
        assertEquals(3, summary.total().paths(PathOutcome.MINORITY));
        assertEquals(3, summary.total().paths(PathOutcome.KEPT), "the two agreeing paths share one equation");
        assertEquals(3, summary.total().paths(PathOutcome.DUPLICATE));
        List<JsonNode> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("m.jsonl"))) {
            rows.add(JSON.readTree(line));
        }
        assertEquals(3, rows.size());
        for (JsonNode row : rows) {
            List<String> fields = new ArrayList<>();
            row.fieldNames().forEachRemaining(fields::add);
            assertEquals(List.of("problem", "solution"), fields.subList(0, 2));
            assertTrue(row.get("solution").asText().contains("\\boxed{5}"));
            assertEquals("5", row.get("final_answer").asText());
            assertEquals("5", row.get("teacher_answer").asText());
            assertEquals("change-numbers", row.get("op").asText());
            assertTrue(row.get("source_id").asText().startsWith("train/algebra/"));
            assertEquals(2, row.at("/votes/agree").asInt());
        }
    }
}
