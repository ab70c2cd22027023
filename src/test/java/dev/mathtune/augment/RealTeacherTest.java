package dev.mathtune.augment;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.engine.DType;
import dev.mathtune.eval.grade.MathAnswerGrader;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.TextGenerator;
import dev.mathtune.generate.openai.OpenAiClient;
import dev.mathtune.generate.openai.OpenAiClientOptions;
import dev.mathtune.generate.openai.OpenAiServer;
import dev.mathtune.generate.openai.ServerOptions;
import dev.mathtune.testing.Golden;
import dev.mathtune.testing.TinyModels;

/**
 * End to end with a real (tiny, random) teacher: served over the OpenAI API by the embedded engine, then used
 * in-process. A random teacher writes nonsense, so the pipeline must drop it for the right reasons — and the
 * summary's counts must add up. A planted GSM8K test question is removed before any request.
 */
class RealTeacherTest {

    static Path input(Path tmp) throws Exception {
        List<String> train = Files.readAllLines(Golden.shared().resolve("data/gsm8k/train.jsonl")).subList(0, 3);
        String planted = Files.readAllLines(Golden.shared().resolve("data/gsm8k/test.jsonl")).get(0);
        Path f = tmp.resolve("input.jsonl");
        Files.writeString(f, String.join("\n", train) + "\n" + planted + "\n");
        return f;
    }

    static AugmentSummary run(Path tmp, String name, TextGenerator teacher) throws Exception {
        AugmentSpec spec = AugmentSpec.builder(input(tmp), DatasetKind.GSM8K, tmp.resolve(name + ".jsonl"))
                .ops(EvolutionOp.parseList("change-numbers,add-condition")).paths(2).maxTokens(24)
                .maxEvolveTokens(32).originals(true).decontaminate(List.of(Golden.shared().resolve("data/gsm8k/test.jsonl")))
                .batchSize(8).build();
        return new AugmentRunner(spec, teacher, MathAnswerGrader.gsm8k(), new PrintStream(OutputStream.nullOutputStream())).run();
    }

    @Test
    void servedAndInProcessTeachersRunAndCountsAddUp(@TempDir Path tmp) throws Exception {
        ModelBundle tiny = ModelBundle.load(TinyModels.tiny(), DType.FP32);
        AugmentSummary served;
        try (OpenAiServer server = OpenAiServer.start(tiny.generator(8, null), "tiny", ServerOptions.onPort(0));
             OpenAiClient client = new OpenAiClient(OpenAiClientOptions.of(server.url(), "tiny").withConcurrency(4))) {
            served = run(tmp, "served", client);
        }
        AugmentSummary local = run(tmp, "local", tiny.generator(8, null));
        for (AugmentSummary s : List.of(served, local)) {
            assertTrue(s.complete());
            assertTrue(s.addsUp(), s.toJson().toPrettyString());
            assertEquals(4, s.inputs().read());
            assertEquals(1, s.inputs().contaminated(), "the planted test question is dropped");
            assertEquals(3, s.inputs().used().size());
            // 3 originals + 3 questions x 2 ops evolved: every item accounted for
            assertEquals(9, s.total().items(), s.toJson().toPrettyString());
        }
        assertTrue(Files.isRegularFile(tmp.resolve("served.summary.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("local.summary.json")));
    }
}
