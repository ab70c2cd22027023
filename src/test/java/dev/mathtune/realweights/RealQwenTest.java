package dev.mathtune.realweights;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import dev.mathtune.engine.DType;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TokenScorer;

/**
 * Checks on a real Qwen2.5 checkpoint (e.g. {@code mathtune download model Qwen/Qwen2.5-0.5B --out DIR}), run only
 * when {@code MATHTUNE_QWEN_DIR} points at it: the weights cannot be downloaded on CI's machine, so elsewhere this
 * test is reported as skipped.
 */
@Tag("real-weights")
@EnabledIfEnvironmentVariable(named = "MATHTUNE_QWEN_DIR", matches = ".+",
        disabledReason = "needs real Qwen2.5 weights: set MATHTUNE_QWEN_DIR to a downloaded checkpoint")
class RealQwenTest {

    @Test
    void realCheckpointScoresAndAnswersSimpleArithmetic() {
        ModelBundle b = ModelBundle.load(Path.of(System.getenv("MATHTUNE_QWEN_DIR")), DType.FP32);
        int[] ids = b.tokenizer().encode("The capital of France is Paris.");
        Double[] lp = new TokenScorer(b.model()).score(new int[][]{ids})[0];
        assertTrue(lp[ids.length - 1] > Math.log(0.1), "a real model finds 'Paris.' likely: " + lp[ids.length - 1]);
        Completion[] out = new Completion[1];
        b.generator(1, null).generate(List.of(GenerationRequest.text("0", "Question: What is 12 + 30?\nAnswer:",
                SamplingParams.greedy(16))), c -> out[0] = c);
        assertTrue(out[0].text().contains("42"), out[0].text());
    }
}
