package dev.mathtune.model;

import static org.junit.jupiter.api.Assertions.*;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * oneDNN on reordered weights and XNNPACK on packed ones equal the OpenBLAS product to rounding, serve only their
 * bands, and follow the weight.
 */
class PackedLinearTest {
    @Test
    void lmHeadBandMatchesTheDenseProductAndNothingElseIsServed() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Engine.seed(4);
            Tensor w = torch.randn(1000, 64), x = torch.randn(2, 3, 64);
            PackedLinear head = PackedLinear.lmHead(w);
            assertTrue(head.usesOneDnn(x));
            assertClose(torch.linear(x, w), head.apply(x));
            assertFalse(head.usesOneDnn(x.narrow(1, 0, 1).narrow(0, 0, 1)), "one row goes through sgemv");
            assertTrue(head.usesOneDnn(torch.randn(64, 64)));
            assertFalse(head.usesOneDnn(torch.randn(65, 64)), "larger batches stay with OpenBLAS");
            assertFalse(head.usesOneDnn(x.clone().requires_grad_(true)), "training keeps autograd's product");
            assertFalse(head.usesOneDnn(x.to(torch.ScalarType.BFloat16)), "fp32 only");
        }
    }

    @Test
    void layerBandWithBiasMatchesAndFollowsInPlaceWeightUpdates() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Engine.seed(5);
            Tensor w = torch.randn(96, 80), b = torch.randn(96), x = torch.randn(16, 1, 80);
            PackedLinear p = PackedLinear.layer(w, b);
            assertFalse(p.usesOneDnn(torch.randn(4, 80)), "below the band: OpenBLAS");
            assertTrue(p.usesOneDnn(x));
            assertTrue(p.usesOneDnn(torch.randn(64, 80)));
            assertFalse(p.usesOneDnn(torch.randn(65, 80)), "above the band: OpenBLAS");
            assertClose(torch.linear(x, w, new TensorOptional(b)), p.apply(x));
            w.mul_(Tensors.scalar(-0.5)); // an optimizer step or a load changes the weight in place
            assertClose(torch.linear(x, w, new TensorOptional(b)), p.apply(x));
        }
    }

    @Test
    void theModelRunsTheBandOnOpenMpAndOtherFp32RowCountsOnOpenBlas() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Qwen2Weights w = Qwen2Weights.random(Presets.get("tiny"), DType.FP32, 0.02, 1);
            Qwen2Model fp32 = new Qwen2Model(w, DType.FP32);
            assertFalse(fp32.productsOnOpenMp(1), "one row: OpenBLAS's sgemv");
            assertTrue(fp32.productsOnOpenMp(PackedLinear.LAYER_MIN_ROWS) && fp32.productsOnOpenMp(16)
                    && fp32.productsOnOpenMp(PackedLinear.LAYER_MAX_ROWS));
            assertFalse(fp32.productsOnOpenMp(PackedLinear.LAYER_MAX_ROWS + 1), "prefill: OpenBLAS's sgemm");
            Qwen2Model bf16 = new Qwen2Model(Qwen2Weights.random(Presets.get("tiny"), DType.BF16, 0.02, 1), DType.BF16);
            assertTrue(bf16.productsOnOpenMp(1) && bf16.productsOnOpenMp(512), "bf16 products are oneDNN's");
        }
    }

    @Test
    void xnnpackServesOneToFourRowsOnlyWhenSmallRowsAreOnAndFollowsTheWeightAndBias() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Engine.seed(6);
            Tensor w = torch.randn(96, 80), b = torch.randn(96);
            Tensor one = torch.randn(1, 1, 80), four = torch.randn(4, 1, 80), eight = torch.randn(8, 80);
            PackedLinear p = PackedLinear.layer(w, b);
            assertFalse(p.usesXnnpack(one), "off until the generator asks for it");
            p.smallRows(true);
            assertTrue(p.usesXnnpack(one) && p.usesXnnpack(four));
            assertFalse(p.usesXnnpack(torch.randn(5, 80)), "five rows and more: OpenBLAS or oneDNN");
            assertFalse(p.usesXnnpack(eight));
            assertFalse(p.usesXnnpack(one.clone().requires_grad_(true)), "training keeps autograd's product");
            assertFalse(p.usesXnnpack(one.to(torch.ScalarType.BFloat16)), "fp32 only");
            assertClose(torch.linear(one, w, new TensorOptional(b)), p.apply(one));
            assertClose(torch.linear(four, w, new TensorOptional(b)), p.apply(four));
            w.mul_(Tensors.scalar(-0.5));
            assertClose(torch.linear(four, w, new TensorOptional(b)), p.apply(four));
            b.add_(Tensors.scalar(3.0));
            assertClose(torch.linear(one, w, new TensorOptional(b)), p.apply(one));
            p.smallRows(false);
            assertFalse(p.usesXnnpack(one));
            assertClose(torch.linear(one, w, new TensorOptional(b)), p.apply(one));

            PackedLinear head = PackedLinear.lmHead(torch.randn(1000, 80));
            head.smallRows(true);
            Tensor two = torch.randn(2, 80);
            assertTrue(head.usesXnnpack(two), "XNNPACK's rows come before the lm_head's oneDNN band");
            assertClose(torch.linear(two, head.weight()), head.apply(two));
        }
    }

    private static void assertClose(Tensor want, Tensor got) {
        assertArrayEquals(Tensors.shape(want), Tensors.shape(got));
        float[] g = Tensors.toFloats(got), e = Tensors.toFloats(want);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], 1e-5 * Math.max(1, Math.abs(e[i])), "value " + i);
    }
}
