package dev.mathtune.model;

import static org.junit.jupiter.api.Assertions.*;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/** The oneDNN lm_head for small fp32 inference batches equals the OpenBLAS product to rounding, and only serves them. */
class LmHeadTest {
    @Test
    void smallInferenceBatchesMatchTheDenseProductAndNothingElseIsServed() {
        Engine.init();
        try (Scope s = Scope.open()) {
            Engine.seed(4);
            Tensor w = torch.randn(1000, 64), x = torch.randn(2, 3, 64);
            LmHead head = new LmHead(w);
            assertTrue(head.usesOneDnn(x));
            Tensor got = head.apply(x), want = torch.linear(x, w);
            assertArrayEquals(Tensors.shape(want), Tensors.shape(got));
            float[] g = Tensors.toFloats(got), e = Tensors.toFloats(want);
            for (int i = 0; i < e.length; i++) assertEquals(e[i], g[i], 1e-5 * Math.max(1, Math.abs(e[i])), "logit " + i);
            assertFalse(head.usesOneDnn(x.narrow(1, 0, 1).narrow(0, 0, 1)), "one row goes through sgemv");
            assertFalse(head.usesOneDnn(torch.randn(40, 64)), "larger batches stay with OpenBLAS");
            assertFalse(head.usesOneDnn(x.clone().requires_grad_(true)), "training keeps autograd's product");
            assertFalse(head.usesOneDnn(x.to(torch.ScalarType.BFloat16)), "fp32 only");
        }
    }
}
