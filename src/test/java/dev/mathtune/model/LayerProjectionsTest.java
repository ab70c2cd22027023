package dev.mathtune.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * Decoding's one product over q/k/v (and gate/up): at batch 1 exactly the separate products' floats, in the batched
 * oneDNN band the same values to rounding.
 */
class LayerProjectionsTest {
    @Test
    void adjacentWeightsGiveOneProductWithTheSameFloatsAtTheRealShape() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Qwen2Config q = Presets.get("qwen2.5-0.5b"); // one layer of it, a small vocabulary
            Qwen2Config c = new Qwen2Config(1000, q.hiddenSize(), q.intermediateSize(), 1, q.numHeads(), q.numKvHeads(),
                    q.headDim(), q.rmsNormEps(), q.ropeTheta(), true, 4096, null, List.of(), "float32");
            LayerWeights w = Qwen2Weights.random(c, DType.FP32, 0.02, 7).layers().get(0);
            LayerProjections fused = LayerProjections.dense(w);
            assertNotNull(fused.qkv(), "q/k/v are stored back to back");
            assertNotNull(fused.gateUp(), "gate/up are stored back to back");
            LayerProjections separate = LayerProjections.of(fused.all());
            for (long seed = 0; seed < 3; seed++) {
                Engine.seed(seed);
                Tensor x = torch.randn(1, 1, c.hiddenSize());
                Tensor[] a = fused.qkv(x), b = separate.qkv(x);
                for (int i = 0; i < 3; i++) assertBitEqual(b[i], a[i], "qkv " + i);
                Tensor[] g = fused.gateUp(x), h = separate.gateUp(x);
                for (int i = 0; i < 2; i++) assertBitEqual(h[i], g[i], "gate/up " + i);
            }
            Tensor rows = torch.randn(1, 3, c.hiddenSize());
            assertBitEqual(separate.qkv(rows)[1], fused.qkv(rows)[1], "several rows: the separate products");
        }
    }

    @Test
    void batchedDecodingRowsTakeOneOneDnnProductOverTheAdjacentWeights() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Qwen2Config c = Presets.get("tiny");
            LayerWeights w = tinyLayer(9);
            LayerProjections fused = LayerProjections.dense(w);
            Tensor rows = torch.randn(16, 1, c.hiddenSize());                   // batch 16, one position: the band
            assertTrue(fused.qkv().usesOneDnn(rows) && fused.gateUp().usesOneDnn(rows));
            assertFusedEqualSeparate(fused, w, rows, "batch 16");
        }
    }

    /** {@code fused}'s q/k/v and gate/up products of {@code x} equal {@code torch.linear} over each weight to 1e-5. */
    private static void assertFusedEqualSeparate(LayerProjections fused, LayerWeights w, Tensor x, String label) {
        Tensor[] qkv = fused.qkv(x), gateUp = fused.gateUp(x);
        Tensor[] want = {torch.linear(x, w.qWeight(), new TensorOptional(w.qBias())),
                torch.linear(x, w.kWeight(), new TensorOptional(w.kBias())),
                torch.linear(x, w.vWeight(), new TensorOptional(w.vBias())),
                torch.linear(x, w.gateWeight()), torch.linear(x, w.upWeight())};
        Tensor[] got = {qkv[0], qkv[1], qkv[2], gateUp[0], gateUp[1]};
        for (int i = 0; i < want.length; i++) {
            assertArrayEquals(Tensors.shape(want[i]), Tensors.shape(got[i]), label + ", product " + i);
            double diff = want[i].sub(got[i]).abs().max().item_double();
            assertTrue(diff < 1e-5, label + ", product " + i + " differs by " + diff);
        }
    }

    @Test
    void smallRowsTakeOneXnnpackProductOverTheAdjacentWeightsWhenTurnedOn() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Qwen2Config c = Presets.get("tiny");
            LayerWeights w = tinyLayer(10);
            LayerProjections fused = LayerProjections.dense(w);
            fused.smallRows(true);
            for (int rows : new int[]{1, 3}) {
                Tensor x = torch.randn(rows, 1, c.hiddenSize());
                assertTrue(fused.qkv().usesXnnpack(x) && fused.gateUp().usesXnnpack(x));
                assertFusedEqualSeparate(fused, w, x, rows + " rows");
            }
            fused.smallRows(false);
            assertFalse(fused.qkv().usesXnnpack(torch.randn(1, 1, c.hiddenSize())));
        }
    }

    @Test
    void weightsThatTrainOrAreNotAdjacentUseTheSeparateProducts() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Qwen2Config c = Presets.get("tiny");
            LayerWeights w = tinyLayer(8);
            Tensor x = torch.randn(1, 1, c.hiddenSize());
            w.kWeight().requires_grad_(true);
            Tensor[] out = LayerProjections.dense(w).qkv(x);
            assertTrue(out[1].requires_grad(), "k's gradient flows through its own product");
            Tensor q = w.qWeight().clone(), k = w.kWeight().detach().clone(), v = w.vWeight().clone();
            assertNull(Tensors.adjacentRows(q, k, v), "separately allocated");
            assertNull(LayerProjections.dense(new LayerWeights(q, w.qBias(), k, w.kBias(), v, w.vBias(), w.oWeight(),
                    w.gateWeight(), w.upWeight(), w.downWeight(), w.inputNorm(), w.postAttentionNorm())).qkv());
        }
    }

    private static LayerWeights tinyLayer(long seed) {
        return Qwen2Weights.random(Presets.get("tiny"), DType.FP32, 0.02, seed).layers().get(0);
    }

    private static void assertBitEqual(Tensor want, Tensor got, String what) {
        assertArrayEquals(Tensors.shape(want), Tensors.shape(got), what);
        assertTrue(torch.equal(want.contiguous(), got.contiguous()), what + ": not the same floats");
    }
}
