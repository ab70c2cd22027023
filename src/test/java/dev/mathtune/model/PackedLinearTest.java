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
            assertTrue(head.inOneDnnBand(x));
            assertClose(torch.linear(x, w), head.apply(x));
            assertFalse(head.inOneDnnBand(x.narrow(1, 0, 1).narrow(0, 0, 1)), "one row goes through sgemv");
            assertTrue(head.inOneDnnBand(torch.randn(64, 64)));
            assertFalse(head.inOneDnnBand(torch.randn(65, 64)), "larger batches stay with OpenBLAS");
            assertFalse(head.inOneDnnBand(x.clone().requires_grad_(true)), "training keeps autograd's product");
            assertFalse(head.inOneDnnBand(x.to(torch.ScalarType.BFloat16)), "a bf16 input on an fp32 weight stays plain");
        }
    }

    @Test
    void layerBandWithBiasMatchesAndFollowsInPlaceWeightUpdates() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Engine.seed(5);
            Tensor w = torch.randn(96, 80), b = torch.randn(96), x = torch.randn(16, 1, 80);
            PackedLinear p = PackedLinear.layer(w, b);
            assertFalse(p.inOneDnnBand(torch.randn(4, 80)), "below the band: OpenBLAS");
            assertTrue(p.inOneDnnBand(x));
            assertTrue(p.inOneDnnBand(torch.randn(64, 80)));
            assertFalse(p.inOneDnnBand(torch.randn(65, 80)), "above the band: OpenBLAS");
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

    /**
     * Every row count of both bands, at several widths, equals the plain product: where oneDNN's kernels are wrong
     * for a shape (an AMD EPYC of family 26 under KVM: 5.36 for 2.75 at 6 rows of a 64-wide lm_head), the first
     * check turns them off for that projection and the plain product serves.
     */
    @Test
    void everyBandRowCountEqualsThePlainProductOnThisCpu() {
        Engine.init();
        Engine.seed(6);
        for (long[] nk : new long[][]{{1000, 64}, {512, 56}, {128, 80}, {96, 128}}) {
            try (Scope s = Scope.open()) {
                Tensor w = torch.randn(nk[0], nk[1]), b = torch.randn(nk[0]);
                PackedLinear head = PackedLinear.lmHead(w), layer = PackedLinear.layer(w, b);
                for (long rows = 2; rows <= 64; rows++) {
                    Tensor x = torch.randn(rows, nk[1]);
                    assertWithinRounding(x, w, null, head.apply(x));
                    if (rows >= 8) assertWithinRounding(x, w, b, layer.apply(x));
                }
            }
        }
    }

    /**
     * bf16 decoding: every row count 1–64 of a bf16 weight goes through oneDNN's reordered copy and equals the exact
     * product of the bf16 operands to within fp32 accumulation ({@code 2·γ_K·|x|·|w|ᵀ}) plus the output's rounding
     * to bf16 (2⁻⁸ relative).
     */
    @Test
    void everyBf16DecodingRowCountGoesThroughTheReorderedWeightAndEqualsTheExactProduct() {
        Engine.init();
        Engine.seed(7);
        for (long[] nk : new long[][]{{1000, 64}, {96, 128}}) {
            try (Scope s = Scope.open()) {
                Tensor w = torch.randn(nk[0], nk[1]).to(torch.ScalarType.BFloat16);
                Tensor b = torch.randn(nk[0]).to(torch.ScalarType.BFloat16);
                PackedLinear head = PackedLinear.lmHead(w), layer = PackedLinear.layer(w, b);
                assertFalse(layer.inOneDnnBand(torch.randn(65, nk[1]).to(torch.ScalarType.BFloat16)), "prefill stays plain");
                for (long rows = 1; rows <= 64; rows++) {
                    Tensor x = torch.randn(rows, nk[1]).to(torch.ScalarType.BFloat16);
                    assertTrue(layer.inOneDnnBand(x) && head.inOneDnnBand(x), rows + " rows");
                    assertWithinBf16Rounding(x, w, null, head.apply(x));
                    assertWithinBf16Rounding(x, w, b, layer.apply(x));
                }
            }
        }
    }

    private static void assertWithinBf16Rounding(Tensor x, Tensor w, Tensor b, Tensor got) {
        assertEquals(torch.ScalarType.BFloat16.value, got.scalar_type().value);
        Tensor xd = x.to(torch.ScalarType.Double), wd = w.to(torch.ScalarType.Double);
        Tensor bd = b == null ? null : b.to(torch.ScalarType.Double);
        Tensor exact = bd == null ? torch.linear(xd, wd) : torch.linear(xd, wd, new TensorOptional(bd));
        Tensor magnitude = bd == null ? torch.linear(xd.abs(), wd.abs())
                : torch.linear(xd.abs(), wd.abs(), new TensorOptional(bd.abs()));
        double k = w.size(1) + (b == null ? 0 : 1), u = Math.pow(2, -24), gamma = k * u / (1 - k * u);
        double[] g = Tensors.toDoubles(got.to(torch.ScalarType.Double)), e = Tensors.toDoubles(exact);
        double[] m = Tensors.toDoubles(magnitude);
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], g[i], 2 * gamma * m[i] + Math.pow(2, -8) * Math.abs(e[i]), "value " + i);
        }
    }

    /**
     * {@code got} equals {@code x·wᵀ + b} to within what two fp32 evaluations in different summation orders may
     * differ by: {@code 2·γ_K·(|x|·|w|ᵀ + |b|)} with {@code γ_K = K·u/(1 − K·u)}, {@code u = 2⁻²⁴} (Higham's bound
     * for a dot product of length K, once for each side).
     */
    private static void assertWithinRounding(Tensor x, Tensor w, Tensor b, Tensor got) {
        Tensor want = b == null ? torch.linear(x, w) : torch.linear(x, w, new TensorOptional(b));
        double k = w.size(1) + (b == null ? 0 : 1), u = Math.pow(2, -24), gamma = k * u / (1 - k * u);
        Tensor magnitude = b == null ? torch.linear(x.abs(), w.abs())
                : torch.linear(x.abs(), w.abs(), new TensorOptional(b.abs()));
        float[] g = Tensors.toFloats(got), e = Tensors.toFloats(want), m = Tensors.toFloats(magnitude);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], 2 * gamma * m[i], "value " + i);
    }

    private static void assertClose(Tensor want, Tensor got) {
        assertArrayEquals(Tensors.shape(want), Tensors.shape(got));
        float[] g = Tensors.toFloats(got), e = Tensors.toFloats(want);
        for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], 1e-5 * Math.max(1, Math.abs(e[i])), "value " + i);
    }
}
