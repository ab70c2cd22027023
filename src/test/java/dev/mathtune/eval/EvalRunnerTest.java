package dev.mathtune.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.calc.CalculatorCall;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TextGenerator;
import dev.mathtune.eval.grade.GraderName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalRunnerTest {
    static final Path GSM_TEST = DatasetLoaderTest.DATA.resolve("gsm8k/test.jsonl");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    Path out;
    EvalSpec spec;
    Map<String, EvalItem> items = new HashMap<>();
    List<String> ids;
    final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        out = tmp.resolve("out");
        spec = EvalSpec.of(DatasetSpec.of(GSM_TEST).withLimit(50), out).withChunkSize(8);
        List<EvalItem> list = DatasetLoader.load(spec.dataset()).items();
        list.forEach(i -> items.put(i.id(), i));
        ids = list.stream().map(EvalItem::id).toList();
    }

    /** Right on even items ("... The answer is <ref>."), wrong (reference + 1) on odd ones. */
    String answer(GenerationRequest r) {
        EvalItem item = items.get(r.id().substring(0, r.id().indexOf('#')));
        int index = ids.indexOf(item.id());
        long ref = Long.parseLong(item.reference());
        return "Let me think. The answer is " + (index % 2 == 0 ? ref : ref + 1) + ".";
    }

    EvalRunner runner(TextGenerator generator) {
        return new EvalRunner(generator, new LastNumberGrader(), new PrintStream(progress, true), 0);
    }

    @Test
    void crashedRunResumesWithoutRepeatingAnyItem() throws Exception {
        assertThrows(IllegalStateException.class, () -> runner(new FakeGenerator(this::answer, 20)).run(spec));
        assertEquals(20, lines().size());
        assertFalse(Files.exists(out.resolve(EvalRunner.METRICS)));

        FakeGenerator second = new FakeGenerator(this::answer, -1);
        EvalMetrics m = runner(second).run(spec);
        assertEquals(30, second.seen.size(), "only the 30 missing items are generated again");
        assertEachIdOnce();
        assertEquals(50, m.rows());
        assertEquals(25, m.accuracy().correct());
        assertEquals(50, m.accuracy().total());
        JsonNode metrics = JSON.readTree(out.resolve(EvalRunner.METRICS).toFile());
        assertEquals(0.5, metrics.get("accuracy").get("accuracy").asDouble());
        assertTrue(progress.toString().contains("50/50 (100.0%)"), progress.toString());

        FakeGenerator third = new FakeGenerator(this::answer, -1);
        assertEquals(m.accuracy(), runner(third).run(spec).accuracy());
        assertEquals(0, third.seen.size(), "a finished run generates nothing");
    }

    @Test
    void tornLastLineIsCutAndRegenerated() throws Exception {
        assertThrows(IllegalStateException.class, () -> runner(new FakeGenerator(this::answer, 20)).run(spec));
        Path predictions = out.resolve(EvalRunner.PREDICTIONS);
        String whole = Files.readString(predictions);
        String lastLine = whole.substring(whole.lastIndexOf('\n', whole.length() - 2) + 1);
        Files.writeString(predictions, whole.substring(0, whole.length() - lastLine.length())
                + lastLine.substring(0, lastLine.length() / 2));

        FakeGenerator second = new FakeGenerator(this::answer, -1);
        EvalMetrics m = runner(second).run(spec);
        assertEquals(31, second.seen.size(), "the torn row is generated again");
        assertTrue(Files.readString(predictions).endsWith("\n"));
        assertEachIdOnce();
        assertEquals(25, m.accuracy().correct());
        assertTrue(progress.toString().contains("torn last line"));
    }

    @Test
    void corruptLineInTheMiddleIsAUserError() throws Exception {
        assertThrows(IllegalStateException.class, () -> runner(new FakeGenerator(this::answer, 5)).run(spec));
        Path predictions = out.resolve(EvalRunner.PREDICTIONS);
        List<String> lines = new ArrayList<>(Files.readAllLines(predictions));
        lines.set(1, "garbage");
        Files.write(predictions, lines);
        UserError e = assertThrows(UserError.class, () -> runner(new FakeGenerator(this::answer, -1)).run(spec));
        assertTrue(e.getMessage().startsWith(predictions + ":2: "), e.getMessage());
    }

    @Test
    void interruptedRunStopsBetweenChunksAndResumes() throws Exception {
        TextGenerator interrupting = new SequentialGenerator(this::answer) {
            @Override
            public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
                super.generate(requests, sink);
                if (lines().size() >= 16) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        assertThrows(CancellationException.class, () -> runner(interrupting).run(spec));
        assertTrue(Thread.interrupted(), "the interrupt flag is left set for the caller");
        assertEquals(16, lines().size());
        assertEquals(50, runner(new FakeGenerator(this::answer, -1)).run(spec).rows());
        assertEachIdOnce();
    }

    @Test
    void eachRowIsOnDiskBeforeTheNextCompletionArrives() throws Exception {
        List<Integer> linesSeen = new ArrayList<>();
        SequentialGenerator checking = new SequentialGenerator(r -> {
            linesSeen.add(lines().size());
            return answer(r);
        });
        runner(checking).run(spec);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, linesSeen.get(i));
        }
        JsonNode row = JSON.readTree(lines().get(0));
        Set<String> fields = new HashSet<>();
        row.fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("id", "sample", "prompt", "completion", "extracted", "rule", "reference", "correct",
                "reason", "strict_correct", "tokens", "seconds", "finish_reason", "question", "solution", "grader",
                "graders"), fields);
        assertEquals(items.get(ids.get(0)).question(), row.get("question").asText());
        assertEquals("mathtune", row.get("grader").asText());
        Set<String> graders = new HashSet<>();
        row.get("graders").fieldNames().forEachRemaining(graders::add);
        assertEquals(Set.of("mathtune", "qwen", "lm-eval", "lm-eval-flexible"), graders);
        for (JsonNode outcome : row.get("graders")) {
            assertTrue(outcome.has("extracted") && outcome.has("normalized") && outcome.has("correct")
                    && outcome.has("reason"), outcome.toString());
        }
        assertEquals(row.get("correct").asBoolean(), row.get("graders").get("mathtune").get("correct").asBoolean());
        // a chat prompt sent to a backend that renders it elsewhere is logged as the messages it receives
        assertEquals("[{\"role\":\"system\",\"content\":" + JSON.writeValueAsString(PromptRegistry.QWEN_SYSTEM)
                        + "},{\"role\":\"user\",\"content\":" + JSON.writeValueAsString(items.get(ids.get(0)).question()) + "}]",
                row.get("prompt").asText());
        assertEquals("stop", row.get("finish_reason").asText());
    }

    /** Item i: "#### N" (every grader right) when i % 3 == 0, "The answer is N." (no "####": lm-eval's strict-match
     * fails) when i % 3 == 1, a wrong "The answer is 3N+7." when i % 3 == 2 (not N + 1: Qwen's relative tolerance of 1e-4
     * takes N + 1 for N above 10000). */
    String graderMix(GenerationRequest r) {
        EvalItem item = items.get(r.id().substring(0, r.id().indexOf('#')));
        int index = ids.indexOf(item.id());
        long ref = Long.parseLong(item.reference());
        return switch (index % 3) {
            case 0 -> "Adding up gives " + ref + ".\n#### " + ref;
            case 1 -> "The answer is " + ref + ".";
            default -> "The answer is " + (3 * ref + 7) + ".";
        };
    }

    @Test
    void metricsHoldEveryGradersAccuracyAndTheirDisagreements() throws Exception {
        EvalMetrics m = new EvalRunner(new FakeGenerator(this::graderMix, -1), new LastNumberGrader(), GraderName.QWEN,
                new PrintStream(progress, true), 0).run(spec);
        assertEquals("qwen", m.grader());
        assertEquals(34, m.graders().get("mathtune").correct());
        assertEquals(34, m.graders().get("qwen").correct());
        assertEquals(17, m.graders().get("lm-eval").correct());
        assertEquals(34, m.graders().get("lm-eval-flexible").correct());
        assertEquals(34, m.accuracy().correct(), "accuracy is the primary grader's");
        assertEquals(17, m.gradersDisagree());
        assertEquals(17, m.gradersDisagreeIds().size());
        JsonNode written = JSON.readTree(out.resolve(EvalRunner.METRICS).toFile());
        assertEquals(17, written.get("graders_disagree").asInt());
        assertEquals(50, written.get("graders").get("lm-eval").get("total").asInt());
    }

    @Test
    void samplesGetDerivedSeedsAndVoteMetrics() throws Exception {
        SamplingParams sampling = new SamplingParams(0, 0.7, 0.95, 0, 42, List.of());
        EvalSpec sampled = spec.withPrompt("gsm8k-kshot", 2, DatasetLoaderTest.DATA.resolve("gsm8k/train.jsonl"))
                .withSampling(4, sampling);
        Function<GenerationRequest, String> firstSampleRight = r ->
                r.id().endsWith("#0") ? "The answer is " + items.get(r.id().substring(0, r.id().indexOf('#'))).reference() : "0";
        FakeGenerator gen = new FakeGenerator(firstSampleRight, -1);
        EvalMetrics m = runner(gen).run(sampled);
        assertEquals(200, gen.seen.size());
        Map<String, Long> seeds = gen.seen.stream().collect(Collectors.toMap(GenerationRequest::id, r -> r.params().seed()));
        assertEquals(SampleSeed.derive(42, 3, 2), seeds.get(ids.get(3) + "#2"));
        assertEquals(200, new HashSet<>(seeds.values()).size());
        GenerationRequest any = gen.seen.get(0);
        assertEquals(512, any.params().maxNewTokens(), "GSM8K default budget");
        assertEquals(List.of("\n\nQuestion:"), any.params().stop());
        assertEquals(0.25, m.accuracy().accuracy(), 1e-12);
        assertEquals(0.25, m.passAtK().get("pass@1"), 1e-12);
        assertEquals(1.0, m.passAtK().get("pass@4"), 1e-12);
        assertEquals(0, m.majAtN().correct(), "three wrong '0's outvote the right answer");
        assertEquals(50, m.majAtN().total());
    }

    @Test
    void aDifferentSpecInTheSameFolderIsRefused() {
        runner(new FakeGenerator(this::answer, -1)).run(spec);
        EvalSpec other = spec.withPrompt("zero-shot-cot", -1, null);
        UserError e = assertThrows(UserError.class, () -> runner(new FakeGenerator(this::answer, -1)).run(other));
        assertTrue(e.getMessage().contains("prompt"), e.getMessage());
        assertEquals(50, runner(new FakeGenerator(this::answer, -1)).run(spec.withChunkSize(3)).rows());
    }

    @Test
    void theRecordHoldsTheComputeDtypeAndAResumeInAnotherIsRefused() throws Exception {
        class InDtype extends SequentialGenerator {
            final String dtype;

            InDtype(String dtype) {
                super(EvalRunnerTest.this::answer);
                this.dtype = dtype;
            }

            @Override
            public java.util.Optional<String> computeDtype() {
                return java.util.Optional.ofNullable(dtype);
            }
        }
        runner(new InDtype("bf16")).run(spec);
        assertEquals("bf16", JSON.readTree(out.resolve(EvalRunner.RUN).toFile()).get("dtype").asText());
        UserError e = assertThrows(UserError.class, () -> runner(new InDtype("fp32")).run(spec));
        assertTrue(e.getMessage().contains("predictions computed in bf16, now fp32; pass --dtype bf16"), e.getMessage());
        assertEquals(50, runner(new InDtype(null)).run(spec).rows(), "a server's unknown dtype resumes");
        assertEquals("bf16", JSON.readTree(out.resolve(EvalRunner.RUN).toFile()).get("dtype").asText(),
                "an unknown dtype keeps the recorded one");
    }

    @Test
    void calculatorRunsAskForItAndRecordTheCalls() throws Exception {
        List<CalculatorCall> calls = List.of(new CalculatorCall("4*3", "12", 5, 6));
        TextGenerator gen = new SequentialGenerator(this::answer) {
            @Override
            public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
                for (GenerationRequest r : requests) {
                    String text = answer(r);
                    sink.accept(new Completion(r.id(), text, List.of(), FinishReason.STOP, 5, 7, 0.01,
                            r.calculator() ? calls : List.of()));
                }
            }
        };
        runner(gen).run(spec.withCalculator(true));
        for (String line : lines()) {
            assertEquals("[{\"expression\":\"4*3\",\"result\":\"12\",\"token\":5,\"offset\":6}]",
                    JSON.readTree(line).get("calculator_calls").toString());
        }
        assertTrue(JSON.readTree(out.resolve(EvalRunner.RUN).toFile()).get("calculator").asBoolean());
        UserError e = assertThrows(UserError.class, () -> runner(gen).run(spec));
        assertTrue(e.getMessage().contains("calculator was true, now false"), e.getMessage());

        out = tmp.resolve("plain");
        EvalSpec plain = EvalSpec.of(spec.dataset(), out).withChunkSize(8);
        runner(gen).run(plain);
        for (String line : lines()) assertFalse(JSON.readTree(line).has("calculator_calls"), line);
        assertFalse(JSON.readTree(out.resolve(EvalRunner.RUN).toFile()).has("calculator"));
        e = assertThrows(UserError.class, () -> runner(gen).run(plain.withCalculator(true)));
        assertTrue(e.getMessage().contains("calculator was false, now true"), e.getMessage());
    }

    List<String> lines() {
        try {
            Path file = out.resolve(EvalRunner.PREDICTIONS);
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    void assertEachIdOnce() throws IOException {
        List<String> rowIds = new ArrayList<>();
        for (String line : lines()) {
            rowIds.add(JSON.readTree(line).get("id").asText());
        }
        assertEquals(50, rowIds.size());
        assertEquals(new HashSet<>(ids), new HashSet<>(rowIds));
    }

    /** Completes requests one by one on the caller's thread, in order. */
    static class SequentialGenerator implements TextGenerator {
        private final Function<GenerationRequest, String> answer;

        SequentialGenerator(Function<GenerationRequest, String> answer) {
            this.answer = answer;
        }

        @Override
        public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
            for (GenerationRequest r : requests) {
                String text = answer.apply(r);
                sink.accept(new Completion(r.id(), text, List.of(), FinishReason.STOP, 5, 7, 0.01));
            }
        }

        @Override
        public String describe() {
            return "sequential";
        }
    }
}
