package dev.mathtune.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mathtune.UserError;
import dev.mathtune.generate.Generator;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.SequenceRequest;
import dev.mathtune.generate.StopCondition;
import dev.mathtune.model.Presets;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.model.Qwen2Weights;
import dev.mathtune.peft.LoraAdapter;
import dev.mathtune.peft.LoraConfig;
import dev.mathtune.peft.PrefixConfig;
import dev.mathtune.peft.PrefixTuning;
import dev.mathtune.train.FullFineTune;
import dev.mathtune.train.MicroBatch;
import dev.mathtune.train.SftExample;
import dev.mathtune.train.Trainable;

/**
 * Placement without a GPU: on libtorch's {@code meta} device tensors have shapes and dtypes but no data, and an
 * operation mixing a meta tensor with a CPU one fails ("Expected all tensors to be on the same device"), so a
 * forward and backward that run there prove that weights, batches, positions, masks, RoPE tables, the KV cache and
 * LoRA and prefix parameters all follow the engine's device. The first read of values into Java is where meta
 * ends: the generator's read of the chosen tokens ("Cannot copy out of meta tensor; no data!").
 */
class DevicePlacementTest {
    private static final Qwen2Config TINY = Presets.get("tiny");

    @AfterEach
    void backToCpu() {
        Engine.useDevice("cpu");
    }

    private static Qwen2Model metaModel() {
        Engine.useDevice("meta");
        Qwen2Model model = new Qwen2Model(Qwen2Weights.random(TINY, DType.FP32, 0.02, 5), DType.FP32);
        for (Tensor t : model.weights().named().values()) assertTrue(t.is_meta(), "weights on meta");
        return model;
    }

    private static List<SftExample> examples() {
        List<SftExample> out = new ArrayList<>();
        for (int len : new int[]{9, 6}) {
            int[] ids = new int[len];
            boolean[] target = new boolean[len];
            for (int i = 0; i < len; i++) {
                ids[i] = 3 + 7 * i;
                target[i] = i >= 3;
            }
            out.add(new SftExample(ids, target));
        }
        return out;
    }

    /** Loss and backward on meta; every trainable parameter receives a meta gradient of its own shape. */
    private static void trainsOnMeta(Trainable trainable) {
        trainable.train(true);
        MicroBatch mb = MicroBatch.padded(examples(), 0);
        Tensor loss = mb.lossAndBackward(trainable, DType.FP32, mb.targetCount());
        assertTrue(loss.is_meta());
        assertEquals(0, loss.dim());
        for (Map.Entry<String, Tensor> e : trainable.parameters().entrySet()) {
            Tensor g = e.getValue().grad();
            assertTrue(g.defined() && g.is_meta(), e.getKey() + " has a meta gradient");
            assertArrayEquals(Tensors.shape(e.getValue()), Tensors.shape(g), e.getKey());
        }
    }

    @Test
    void fullFineTuningRunsOnMeta() {
        trainsOnMeta(new FullFineTune(metaModel(), null, DType.FP32));
    }

    @Test
    void loraRunsOnMeta() {
        LoraAdapter lora = LoraAdapter.create(metaModel(), new LoraConfig(4, 8, 0.1, LoraConfig.ALL_TARGETS, false, 1));
        trainsOnMeta(lora);
    }

    @Test
    void prefixRunsOnMeta() {
        trainsOnMeta(PrefixTuning.create(metaModel(), new PrefixConfig(4, true, 32, 1)));
    }

    @Test
    void decodingRunsOnMetaUntilTheTokensAreRead() {
        Qwen2Model model = metaModel();
        Generator gen = new Generator(model, 2, true, new StopCondition(Set.of(), null), null);
        List<SequenceRequest> reqs = List.of(
                new SequenceRequest(0, new int[]{5, 9, 11, 2}, new SamplingParams(4, 0, 1, 0, 1L, List.of())),
                new SequenceRequest(1, new int[]{7, 1}, new SamplingParams(4, 0, 1, 0, 1L, List.of())));
        // prefill (KV cache, masks, RoPE, left padding) runs on meta; reading the argmax into Java cannot
        RuntimeException e = assertThrows(RuntimeException.class, () -> gen.run(reqs, r -> { }));
        assertTrue(e.getMessage().contains("Cannot copy out of meta tensor"), e.getMessage());
    }

    @Test
    void factoriesFollowTheEngineDevice() {
        Engine.useDevice("meta");
        assertTrue(Tensors.zeros(DType.FP32, 2, 3).is_meta());
        assertTrue(Tensors.arange(0, 4).is_meta());
        assertTrue(Tensors.floats(new float[]{1, 2}, 2).is_meta());
        assertTrue(Tensors.longs(new long[]{1, 2}, 2).is_meta());
        assertTrue(Tensors.hostRand(4).is_cpu(), "the CPU benchmarks' tensors stay on the host");
        Engine.useDevice("cpu");
        assertTrue(Tensors.zeros(DType.FP32, 2).is_cpu());
    }

    @Test
    void cudaOnThisBuildIsAOneLineUserError() {
        if (Engine.cudaDevices() > 0) return;      // a CUDA machine: GpuTest covers it
        UserError e = assertThrows(UserError.class, () -> Engine.useDevice("cuda"));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("CPU build") || e.getMessage().contains("could not load its CUDA part")
                || e.getMessage().contains("no CUDA device"), e.getMessage());
        assertEquals("cpu", Engine.deviceName(), "a refused device leaves the engine where it was");
        assertThrows(UserError.class, () -> Engine.useDevice("tpu"));
        assertThrows(UserError.class, () -> Engine.useDevice("cuda:x"));
    }
}
