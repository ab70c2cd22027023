package dev.mathtune.peft;

import static dev.mathtune.peft.PeftTesting.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.generate.Generator;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.SequenceRequest;
import dev.mathtune.generate.SequenceResult;
import dev.mathtune.generate.StopCondition;
import dev.mathtune.generate.TokenScorer;
import dev.mathtune.model.AttentionMask;
import dev.mathtune.model.Batch;
import dev.mathtune.model.KvCache;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.model.Qwen2Model;

class PrefixTuningTest {

    /** A prefix with values large enough to change the model visibly. */
    static PrefixTuning prefix(Qwen2Model base, int p, boolean projection) {
        return PrefixTuning.create(base, new PrefixConfig(p, projection, projection ? 24 : 0, 3, 0.5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-tied", "tiny-kv7", "tiny-untied-kv1"})
    void flatLayoutIsPefts(String name) {
        Qwen2Model base = load(name);
        Qwen2Config c = base.config();
        PrefixTuning pt = prefix(base, 3, false);
        long kv = c.numKvHeads(), hd = c.headDim(), width = 2L * c.numLayers() * kv * hd;
        assertArrayEquals(new long[]{3, width}, Tensors.shape(pt.prompt()));
        float[] flat = Tensors.toFloats(pt.prompt());
        try (Scope s = Scope.open(); NoGradGuard ng = new NoGradGuard()) {
            Tensor[][] kvs = pt.keysValues();
            for (int l = 0; l < c.numLayers(); l++) {
                for (int which = 0; which < 2; which++) {
                    Tensor t = kvs[which][l];
                    assertArrayEquals(new long[]{kv, 3, hd}, Tensors.shape(t));
                    float[] got = Tensors.toFloats(t);
                    for (int h = 0; h < kv; h++) {
                        for (int p = 0; p < 3; p++) {
                            for (int d = 0; d < hd; d++) {
                                long col = ((l * 2L + which) * kv + h) * hd + d;
                                assertEquals(flat[(int) (p * width + col)], got[(int) ((h * 3 + p) * hd + d)]);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The scorer's path (prefix concatenated in front of each layer's k/v) equals a cache filled by fillPrefix. */
    @ParameterizedTest
    @ValueSource(strings = {"tiny-tied", "tiny-kv7"})
    void trainingPathEqualsCachePath(String name) {
        Qwen2Model base = load(name);
        PrefixTuning pt = prefix(base, 4, true);
        long p = pt.prefixLength();
        Double[][] viaScorer = score(base, pt.trainingPrefix(ROWS.length), p);
        assertTrue(maxAbsDiff(viaScorer, score(base, null, 0)) > 1e-2, "the prefix changes the model");

        Double[][] manual = new Double[ROWS.length][];
        try (Scope s = Scope.open(); NoGradGuard ng = new NoGradGuard();
             KvCache cache = new KvCache(base.config(), ROWS.length, p + 16, DType.FP32)) {
            Tensor[][] kv = pt.keysValues();
            cache.fillPrefix(kv[0], kv[1]);
            Batch batch = Batch.leftPadded(ROWS, 0, p);
            Tensor keyValid = torch.cat(new TensorVector(
                    torch.ones(new long[]{ROWS.length, p}, new TensorOptions(torch.ScalarType.Long)), batch.valid()), 1);
            Tensor bias = AttentionMask.causal(keyValid, p, batch.length(), DType.FP32);
            Tensor logp = torch.log_softmax(base.logits(base.forward(batch.ids(), batch.positions(), bias, cache)), -1);
            int t = (int) batch.length();
            float[] lp = Tensors.toFloats(logp);
            int vocab = base.config().vocabSize();
            for (int r = 0; r < ROWS.length; r++) {
                int pad = t - ROWS[r].length;
                manual[r] = new Double[ROWS[r].length];
                for (int i = 1; i < ROWS[r].length; i++) {
                    manual[r][i] = (double) lp[(r * t + pad + i - 1) * vocab + ROWS[r][i]];
                }
            }
        }
        double d = maxAbsDiff(viaScorer, manual);
        assertTrue(d <= 1e-6, "scorer vs cache path max |Δ logprob| = " + d);
    }

    @Test
    void generatorFirstTokenMatchesScorer() {
        Qwen2Model base = load("tiny-tied");
        PrefixTuning pt = prefix(base, 5, false);
        int[] prompt = ROWS[1];
        List<SequenceResult> out = new ArrayList<>();
        new Generator(base, 2, true, new StopCondition(Set.of(), null), pt)
                .run(List.of(new SequenceRequest(0, prompt, SamplingParams.greedy(1))), out::add);
        int token = out.get(0).tokens()[0];
        double genLp = out.get(0).logprobs()[0];
        int[] row = java.util.Arrays.copyOf(prompt, prompt.length + 1);
        row[prompt.length] = token;
        Double[] scored = new TokenScorer(base).score(new int[][]{row}, pt.trainingPrefix(1), pt.prefixLength())[0];
        assertEquals(scored[prompt.length], genLp, 1e-5);
        // and the prefix matters for that logprob
        Double[] plain = new TokenScorer(base).score(new int[][]{row})[0];
        assertTrue(Math.abs(plain[prompt.length] - genLp) > 1e-3);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void gradientsReachThePrefixButNotTheBase(boolean projection) {
        Qwen2Model base = load("tiny-tied");
        PrefixTuning pt = prefix(base, 4, projection);
        assertEquals(projection ? 5 : 1, pt.parameters().size());
        double before;
        try (Scope s = Scope.open()) {
            Tensor loss = loss(base, pt.trainingPrefix(ROWS.length), pt.prefixLength());
            before = loss.item_double();
            loss.backward();
        }
        for (Map.Entry<String, Tensor> e : pt.parameters().entrySet()) {
            assertTrue(absSum(e.getValue().grad()) > 0, e.getKey() + " has no gradient");
        }
        for (Map.Entry<String, Tensor> e : base.weights().named().entrySet()) {
            assertFalse(e.getValue().grad().defined(), e.getKey() + " got a gradient");
        }
        sgd(pt.parameters().values(), 0.05);
        double after = 0;
        for (int i = 0; i < 3; i++) {
            try (Scope s = Scope.open()) {
                Tensor loss = loss(base, pt.trainingPrefix(ROWS.length), pt.prefixLength());
                after = loss.item_double();
                loss.backward();
            }
            sgd(pt.parameters().values(), 0.05);
        }
        assertTrue(after < before, "loss " + before + " -> " + after);
        assertEquals(projection ? Set.of(PrefixTuning.B1, PrefixTuning.B2) : Set.of(), pt.noDecay());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-tied", "tiny-kv7"})
    void saveWritesPeftLayoutAndLoadRestoresIt(String name, @TempDir Path dir) throws Exception {
        Qwen2Model base = load(name);
        Qwen2Config c = base.config();
        PrefixTuning pt = PrefixTuning.create(base, new PrefixConfig(6, true, 24, 9), "Qwen/Qwen2.5-0.5B");
        pt.save(dir);

        JsonNode j = json(dir.resolve("adapter_config.json"));
        assertEquals("PREFIX_TUNING", j.get("peft_type").asText());
        assertEquals("CAUSAL_LM", j.get("task_type").asText());
        assertEquals(6, j.get("num_virtual_tokens").asInt());
        assertEquals(c.numKvHeads() * c.headDim(), j.get("token_dim").asInt());
        assertEquals(c.numKvHeads(), j.get("num_attention_heads").asInt());
        assertEquals(c.numLayers(), j.get("num_layers").asInt());
        assertEquals(1, j.get("num_transformer_submodules").asInt());
        assertEquals(24, j.get("encoder_hidden_size").asInt());
        assertTrue(j.get("prefix_projection").asBoolean());
        assertTrue(j.get("inference_mode").asBoolean());
        assertEquals("Qwen/Qwen2.5-0.5B", j.get("base_model_name_or_path").asText());

        JsonNode h = safetensorsHeader(dir.resolve("adapter_model.safetensors"));
        List<String> keys = new ArrayList<>();
        h.fieldNames().forEachRemaining(k -> { if (!k.equals("__metadata__")) keys.add(k); });
        assertEquals(List.of("prompt_embeddings"), keys);
        assertEquals("F32", h.get("prompt_embeddings").get("dtype").asText());
        assertEquals(6, h.get("prompt_embeddings").get("shape").get(0).asLong());
        assertEquals(2L * c.numLayers() * c.numKvHeads() * c.headDim(), h.get("prompt_embeddings").get("shape").get(1).asLong());

        PrefixTuning back = PrefixTuning.load(base, dir);
        assertFalse(back.projected());
        assertBitIdentical(score(base, pt.trainingPrefix(2), 6), score(base, back.trainingPrefix(2), 6));
        // re-saving the loaded prefix gives the same tensor
        Path again = dir.resolve("again");
        back.save(again);
        assertArrayEquals(Files.readAllBytes(dir.resolve("adapter_model.safetensors")),
                Files.readAllBytes(again.resolve("adapter_model.safetensors")));
    }

    @Test
    void loadAcceptsPeftsNonGqaFieldsAndRejectsMismatches(@TempDir Path dir) throws Exception {
        Qwen2Model base = load("tiny-tied");  // hidden 64, 4 heads, 2 kv heads, head 16
        PrefixTuning pt = prefix(base, 3, false);
        pt.save(dir);
        Path cfgFile = dir.resolve("adapter_config.json");
        ObjectNode cfg = (ObjectNode) json(cfgFile);

        // token_dim = hidden, num_attention_heads = heads: PEFT rescales both to kv heads; same prefix
        cfg.put("token_dim", 64).put("num_attention_heads", 4);
        Files.writeString(cfgFile, cfg.toString());
        assertBitIdentical(score(base, pt.trainingPrefix(2), 3), score(base, PrefixTuning.load(base, dir).trainingPrefix(2), 3));

        cfg.put("num_layers", 3);
        Files.writeString(cfgFile, cfg.toString());
        UserError e = assertThrows(UserError.class, () -> PrefixTuning.load(base, dir));
        assertTrue(e.getMessage().contains(cfgFile.toString()) && e.getMessage().contains("num_layers"), e.getMessage());

        cfg.put("num_layers", 2).put("num_virtual_tokens", 4);
        Files.writeString(cfgFile, cfg.toString());
        e = assertThrows(UserError.class, () -> PrefixTuning.load(base, dir));
        assertTrue(e.getMessage().contains("adapter_model.safetensors") && e.getMessage().contains("prompt_embeddings")
                && e.getMessage().contains("[3, 128]") && e.getMessage().contains("[4, 128]"), e.getMessage());
    }
}
