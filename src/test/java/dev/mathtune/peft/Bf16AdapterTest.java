package dev.mathtune.peft;

import static dev.mathtune.peft.PeftTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Tensors;
import dev.mathtune.generate.Generator;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.SequenceRequest;
import dev.mathtune.generate.SequenceResult;
import dev.mathtune.generate.StopCondition;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.testing.Golden;

/** Adapters over a bf16 base: fp32 adapter tensors, bf16 compute in the base. */
class Bf16AdapterTest {

    @Test
    void freshLoraIsExactAndTrainedLoraChangesTheModel() {
        Qwen2Model base = ModelLoader.load(Golden.dir("tiny-untied-bf16"), DType.BF16);
        LoraAdapter lora = LoraAdapter.create(base, LoraConfig.of(4, 8));
        assertEquals(DType.FP32, Tensors.dtype(lora.layers().get(0).a()));
        assertBitIdentical(score(base, null, 0), score(lora.model(), null, 0));
        LoraAdapterTest.randomize(lora, 2);
        assertTrue(maxAbsDiff(score(base, null, 0), score(lora.model(), null, 0)) > 1e-2);
    }

    @Test
    void prefixInBf16GeneratesLikeItScores() {
        Qwen2Model base = ModelLoader.load(Golden.dir("tiny-untied-bf16"), DType.BF16);
        PrefixTuning pt = PrefixTuning.create(base, new PrefixConfig(3, false, 0, 1, 0.5));
        int[] prompt = ROWS[0];
        List<SequenceResult> out = new ArrayList<>();
        new Generator(base, 1, true, new StopCondition(Set.of(), null), pt)
                .run(List.of(new SequenceRequest(0, prompt, SamplingParams.greedy(1))), out::add);
        int[] row = java.util.Arrays.copyOf(prompt, prompt.length + 1);
        row[prompt.length] = out.get(0).tokens()[0];
        Double[] scored = new dev.mathtune.generate.TokenScorer(base).score(new int[][]{row}, pt.trainingPrefix(1), 3)[0];
        assertEquals(scored[prompt.length], out.get(0).logprobs()[0], 1e-6);
    }
}
