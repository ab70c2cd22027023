package dev.mathtune.peft;

import static dev.mathtune.peft.PeftTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;
import dev.mathtune.model.LayerProjections;
import dev.mathtune.model.Qwen2Model;

class LoraAdapterTest {

    static LoraConfig config(long seed) {
        return new LoraConfig(4, 8.0, 0.0, LoraConfig.ALL_TARGETS, false, seed);
    }

    /** Gives every B (and A) random nonzero values, as after training. */
    static void randomize(LoraAdapter lora, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        try (NoGradGuard ng = new NoGradGuard(); Scope s = Scope.open()) {
            for (LoraLinear l : lora.layers()) {
                l.b().copy_(SeededInit.normal(rng, 0.05, Tensors.shape(l.b())));
                l.a().copy_(SeededInit.normal(rng, 0.3, Tensors.shape(l.a())));
            }
        }
    }

    @Test
    void freshAdapterScoresExactlyLikeTheBase() {
        Qwen2Model base = load("tiny-tied");
        LoraAdapter lora = LoraAdapter.create(base, config(1));
        assertBitIdentical(score(base, null, 0), score(lora.model(), null, 0));
        // PEFT init: A ~ U(-1/sqrt(in), 1/sqrt(in)) and not all zero, B = 0, both fp32 and trainable
        for (LoraLinear l : lora.layers()) {
            double bound = 1 / Math.sqrt(l.a().size(1));
            assertTrue(l.a().abs().max().item_double() <= bound);
            assertTrue(l.a().abs().max().item_double() > bound / 2);
            assertEquals(0.0, l.b().abs().max().item_double());
            assertTrue(l.a().requires_grad() && l.b().requires_grad());
            assertEquals(DType.FP32, Tensors.dtype(l.a()));
        }
        assertEquals(2 * 7 * 2, lora.parameters().size());
        assertEquals(2.0, lora.layers().get(0).scaling());
    }

    @Test
    void sameSeedSameAdapterOtherSeedOther() {
        Qwen2Model base = load("tiny-tied");
        float[] a1 = Tensors.toFloats(LoraAdapter.create(base, config(7)).layers().get(3).a());
        float[] a2 = Tensors.toFloats(LoraAdapter.create(base, config(7)).layers().get(3).a());
        float[] a3 = Tensors.toFloats(LoraAdapter.create(base, config(8)).layers().get(3).a());
        assertArrayEquals(a1, a2);
        assertFalse(java.util.Arrays.equals(a1, a3));
    }

    @Test
    void scalingAndTargets() {
        assertEquals(16 / Math.sqrt(8), new LoraConfig(8, 16, 0, null, true, 0).scaling(), 0);
        assertEquals(2.0, new LoraConfig(8, 16, 0, null, false, 0).scaling(), 0);
        Qwen2Model base = load("tiny-tied");
        LoraAdapter lora = LoraAdapter.create(base, new LoraConfig(2, 4, 0, List.of("v_proj", "q_proj"), false, 0));
        assertEquals(List.of(LoraAdapter.keyA(0, 0), LoraAdapter.keyB(0, 0), LoraAdapter.keyA(0, 2), LoraAdapter.keyB(0, 2),
                LoraAdapter.keyA(1, 0), LoraAdapter.keyB(1, 0), LoraAdapter.keyA(1, 2), LoraAdapter.keyB(1, 2)),
                new ArrayList<>(lora.parameters().keySet()));
        assertTrue(lora.model().projections().get(1).q() instanceof LoraLinear);
        assertFalse(lora.model().projections().get(1).k() instanceof LoraLinear);
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 4, 0, List.of("lm_head"), false, 0));
    }

    @Test
    void gradientsReachAAndBButNotTheBase() {
        Engine.seed(0);
        Qwen2Model base = load("tiny-tied");
        LoraAdapter lora = LoraAdapter.create(base, config(2));
        lora.train(true);
        double before;
        try (Scope s = Scope.open()) {
            Tensor loss = loss(lora.model(), null, 0);
            before = loss.item_double();
            loss.backward();
        }
        for (LoraLinear l : lora.layers()) {
            assertTrue(l.a().grad().defined(), "A has a gradient");
            assertTrue(absSum(l.b().grad()) > 0, "B has a nonzero gradient");
        }
        for (Map.Entry<String, Tensor> e : base.weights().named().entrySet()) {
            assertFalse(e.getValue().requires_grad(), e.getKey());
            assertFalse(e.getValue().grad().defined(), e.getKey() + " got a gradient");
        }
        // a few SGD steps lower the loss and move both A and B
        float[] a0 = Tensors.toFloats(lora.layers().get(0).a());
        sgd(lora.parameters().values(), 0.5);
        double after = 0;
        for (int step = 0; step < 4; step++) {
            try (Scope s = Scope.open()) {
                Tensor loss = loss(lora.model(), null, 0);
                after = loss.item_double();
                loss.backward();
            }
            sgd(lora.parameters().values(), 0.5);
        }
        assertTrue(after < before, "loss " + before + " -> " + after);
        assertTrue(absSum(lora.layers().get(0).b()) > 0);
        assertFalse(java.util.Arrays.equals(a0, Tensors.toFloats(lora.layers().get(0).a())));
    }

    @Test
    void dropoutOnlyWhileTraining() {
        Qwen2Model base = load("tiny-tied");
        LoraAdapter lora = LoraAdapter.create(base, new LoraConfig(4, 8, 0.5, null, false, 3));
        randomize(lora, 4);
        Double[][] eval1 = score(lora.model(), null, 0);
        lora.train(true);
        Engine.seed(11);
        Double[][] train = score(lora.model(), null, 0);
        lora.train(false);
        assertBitIdentical(eval1, score(lora.model(), null, 0));
        assertTrue(maxAbsDiff(eval1, train) > 1e-4, "dropout had no effect");
    }

    @Test
    void mergedWeightsMatchTheAdapter() {
        Qwen2Model base = load("tiny-untied-kv1");
        LoraAdapter lora = LoraAdapter.create(base, config(5));
        randomize(lora, 6);
        Double[][] adapted = score(lora.model(), null, 0);
        Qwen2Model merged = new Qwen2Model(lora.merge(base.weights()), DType.FP32);
        double d = maxAbsDiff(adapted, score(merged, null, 0));
        assertTrue(d <= 1e-4, "merged vs adapter max |Δ logprob| = " + d);
        assertTrue(maxAbsDiff(adapted, score(base, null, 0)) > 1e-2, "the adapter changes the model");
        // the base weights are untouched by merging
        assertTrue(maxAbsDiff(score(base, null, 0), score(LoraAdapter.create(base, config(5)).model(), null, 0)) == 0);
    }

    @Test
    void mergeAfterSgdMatches() {
        Engine.seed(0);
        Qwen2Model base = load("tiny-tied");
        LoraAdapter lora = LoraAdapter.create(base, config(9));
        for (int step = 0; step < 3; step++) {
            try (Scope s = Scope.open()) {
                loss(lora.model(), null, 0).backward();
            }
            sgd(lora.parameters().values(), 1.0);
        }
        Qwen2Model merged = new Qwen2Model(lora.merge(base.weights()), DType.FP32);
        Double[][] adapted = score(lora.model(), null, 0);
        assertTrue(maxAbsDiff(adapted, score(base, null, 0)) > 1e-3);
        assertTrue(maxAbsDiff(adapted, score(merged, null, 0)) <= 1e-4);
    }

    @Test
    void saveWritesPeftLayoutAndLoadRestoresIt(@TempDir Path dir) throws Exception {
        Qwen2Model base = load("tiny-tied");
        LoraAdapter lora = LoraAdapter.create(base, new LoraConfig(4, 16, 0.05, null, true, 3), "Qwen/Qwen2.5-0.5B");
        randomize(lora, 8);
        lora.save(dir);

        JsonNode c = json(dir.resolve("adapter_config.json"));
        assertEquals("LORA", c.get("peft_type").asText());
        assertEquals("CAUSAL_LM", c.get("task_type").asText());
        assertEquals(4, c.get("r").asInt());
        assertEquals(16.0, c.get("lora_alpha").asDouble());
        assertEquals(0.05, c.get("lora_dropout").asDouble());
        assertEquals("Qwen/Qwen2.5-0.5B", c.get("base_model_name_or_path").asText());
        assertEquals("none", c.get("bias").asText());
        assertFalse(c.get("fan_in_fan_out").asBoolean());
        assertTrue(c.get("use_rslora").asBoolean());
        assertTrue(c.get("inference_mode").asBoolean());
        assertTrue(c.get("init_lora_weights").asBoolean());
        assertTrue(c.get("modules_to_save").isNull());
        assertTrue(c.get("layers_to_transform").isNull());
        assertTrue(c.get("revision").isNull());
        List<String> targets = new ArrayList<>();
        c.get("target_modules").forEach(t -> targets.add(t.asText()));
        assertEquals(List.of(LayerProjections.NAMES), targets);

        JsonNode h = safetensorsHeader(dir.resolve("adapter_model.safetensors"));
        List<String> keys = new ArrayList<>();
        h.fieldNames().forEachRemaining(k -> { if (!k.equals("__metadata__")) keys.add(k); });
        assertEquals(2 * 7 * 2, keys.size());
        long[][] outIn = {{64, 64}, {32, 64}, {32, 64}, {64, 64}, {128, 64}, {128, 64}, {64, 128}};
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 7; j++) {
                String a = "base_model.model.model.layers." + i + "." + (j < 4 ? "self_attn." : "mlp.") + LayerProjections.NAMES[j] + ".lora_A.weight";
                String b = a.replace("lora_A", "lora_B");
                assertEquals("F32", h.get(a).get("dtype").asText());
                assertEquals(List.of(4L, outIn[j][1]), shape(h.get(a)), a);
                assertEquals(List.of(outIn[j][0], 4L), shape(h.get(b)), b);
            }
        }

        LoraAdapter back = LoraAdapter.load(base, dir);
        assertEquals(lora.config().scaling(), back.config().scaling());
        assertEquals(0.05, back.config().dropout());
        assertBitIdentical(score(lora.model(), null, 0), score(back.model(), null, 0));
    }

    private static List<Long> shape(JsonNode entry) {
        List<Long> s = new ArrayList<>();
        entry.get("shape").forEach(x -> s.add(x.asLong()));
        return s;
    }

    @Test
    void loadNamesTheFileAndTheProblem(@TempDir Path dir) throws Exception {
        Qwen2Model base = load("tiny-tied");
        LoraAdapter lora = LoraAdapter.create(base, config(1));
        lora.save(dir);
        Path st = dir.resolve("adapter_model.safetensors");
        Map<String, SafetensorsEntry> good = new LinkedHashMap<>();
        Safetensors.read(st).forEach((k, e) -> good.put(k, copy(e)));

        // missing key
        Map<String, SafetensorsEntry> missing = new LinkedHashMap<>(good);
        missing.remove(LoraAdapter.keyB(1, 6));
        Safetensors.write(st, missing, Map.of());
        UserError e = assertThrows(UserError.class, () -> LoraAdapter.load(base, dir));
        assertTrue(e.getMessage().contains(st.toString()) && e.getMessage().contains(LoraAdapter.keyB(1, 6))
                && e.getMessage().contains("missing"), e.getMessage());

        // misnamed key (with the adapter name, as PEFT keeps it in memory but never saves it)
        Map<String, SafetensorsEntry> misnamed = new LinkedHashMap<>(good);
        SafetensorsEntry moved = misnamed.remove(LoraAdapter.keyA(0, 0));
        String wrong = LoraAdapter.keyA(0, 0).replace("lora_A.weight", "lora_A.default.weight");
        misnamed.put(wrong, new SafetensorsEntry(wrong, moved.dtype(), moved.shape(), moved.data()));
        Safetensors.write(st, misnamed, Map.of());
        e = assertThrows(UserError.class, () -> LoraAdapter.load(base, dir));
        assertTrue(e.getMessage().contains(st.toString()) && e.getMessage().contains(LoraAdapter.keyA(0, 0)), e.getMessage());

        // extra key
        Map<String, SafetensorsEntry> extra = new LinkedHashMap<>(good);
        extra.put(wrong, new SafetensorsEntry(wrong, moved.dtype(), moved.shape(), moved.data()));
        Safetensors.write(st, extra, Map.of());
        e = assertThrows(UserError.class, () -> LoraAdapter.load(base, dir));
        assertTrue(e.getMessage().contains("unexpected tensor '" + wrong + "'"), e.getMessage());

        // shape mismatch: an adapter of another rank under this config
        Map<String, SafetensorsEntry> shaped = new LinkedHashMap<>(good);
        SafetensorsEntry a = good.get(LoraAdapter.keyA(1, 1));
        shaped.put(a.name(), new SafetensorsEntry(a.name(), "F32", new long[]{2, 128}, a.data()));
        Safetensors.write(st, shaped, Map.of());
        e = assertThrows(UserError.class, () -> LoraAdapter.load(base, dir));
        assertTrue(e.getMessage().contains(st.toString()) && e.getMessage().contains("[2, 128]")
                && e.getMessage().contains("[4, 64]"), e.getMessage());

        // unsupported config
        Safetensors.write(st, good, Map.of());
        var cfg = (com.fasterxml.jackson.databind.node.ObjectNode) json(dir.resolve("adapter_config.json"));
        cfg.put("use_dora", true);
        java.nio.file.Files.writeString(dir.resolve("adapter_config.json"), cfg.toString());
        e = assertThrows(UserError.class, () -> LoraAdapter.load(base, dir));
        assertTrue(e.getMessage().contains("adapter_config.json") && e.getMessage().contains("use_dora"), e.getMessage());
    }

    private static SafetensorsEntry copy(SafetensorsEntry e) {
        ByteBuffer b = ByteBuffer.allocate(e.data().remaining()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(e.data().duplicate()).flip();
        return new SafetensorsEntry(e.name(), e.dtype(), e.shape(), b);
    }
}
