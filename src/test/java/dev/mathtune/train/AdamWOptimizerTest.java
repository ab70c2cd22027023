package dev.mathtune.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.UserError;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * The fused AdamW's bookkeeping: the update against the textbook formula over several steps (one step against
 * torch.optim.AdamW is {@link GradientParityTest}), global-norm clipping scales the update as torch's
 * {@code clip_grad_norm_} would, parameters without a gradient are left alone, gradients are
 * dropped by zeroGrad, state saved and loaded continues bit for bit, and a mismatched state file is refused.
 */
class AdamWOptimizerTest {
    private static final double LR = 1e-2, B1 = 0.9, B2 = 0.999, EPS = 1e-8, WD = 0.1;

    private static Map<String, Tensor> params(long seed) {
        Engine.init();
        Engine.seed(seed);
        Map<String, Tensor> p = new LinkedHashMap<>();
        p.put("w", Scope.keep(torch.randn(6, 5).requires_grad_(true)));
        p.put("b", Scope.keep(torch.randn(5).requires_grad_(true)));
        p.put("unused", Scope.keep(torch.randn(3).requires_grad_(true)));
        return p;
    }

    /** Sets grads of w and b to fixed functions of the step; "unused" never gets one. */
    private static void grads(Map<String, Tensor> p, int step) {
        for (String name : new String[]{"w", "b"}) {
            Tensor t = p.get(name);
            float[] g = new float[(int) t.numel()];
            for (int i = 0; i < g.length; i++) g[i] = grad(i, step);
            t.mutable_grad().put(Tensors.floats(g, Tensors.shape(t)));
        }
    }

    private static float grad(int i, int step) {
        return (float) Math.sin(i + step);
    }

    /** One optimizer step on the gradients of {@code step}, then the gradients dropped. */
    private static void update(Map<String, Tensor> p, AdamWOptimizer opt, int step) {
        try (Scope s = Scope.open()) {
            grads(p, step);
            opt.step();
            opt.zeroGrad();
        }
    }

    private static AdamWOptimizer optimizer(Map<String, Tensor> p) {
        return new AdamWOptimizer(p, Set.of("b"), LR, B1, B2, EPS, WD);
    }

    @Test
    void updatesFollowTheFormulaAndSkipParametersWithoutGradients() {
        Map<String, Tensor> p = params(1);
        float[] w0 = Tensors.toFloats(p.get("w")), b0 = Tensors.toFloats(p.get("b")), u0 = Tensors.toFloats(p.get("unused"));
        double[] w = toDouble(w0), b = toDouble(b0), mw = new double[w.length], vw = new double[w.length],
                mb = new double[b.length], vb = new double[b.length];
        AdamWOptimizer opt = optimizer(p);
        for (int step = 1; step <= 3; step++) {
            update(p, opt, step);
            assertFalse(p.get("w").grad().defined(), "zeroGrad drops the gradient");
            reference(w, mw, vw, step, WD);
            reference(b, mb, vb, step, 0.0);
        }
        assertClose(w, Tensors.toFloats(p.get("w")));
        assertClose(b, Tensors.toFloats(p.get("b")));
        assertArrayEquals(u0, Tensors.toFloats(p.get("unused")), "a parameter without a gradient is not updated");
    }

    @Test
    void clippingScalesTheUpdateByTheGlobalNormAsTorchDoes() {
        // torch: total = ||(||g_w||, ||g_b||)||, c = min(1, max / (total + 1e-6)), g <- c·g, then the step
        Map<String, Tensor> p = params(4);
        double[] w = toDouble(Tensors.toFloats(p.get("w"))), b = toDouble(Tensors.toFloats(p.get("b"))),
                mw = new double[w.length], vw = new double[w.length], mb = new double[b.length], vb = new double[b.length];
        AdamWOptimizer opt = optimizer(p);
        double[] maxNorms = {1.0, 0.5, 100.0};                       // clipped, clipped, not clipped
        for (int step = 1; step <= 3; step++) {
            try (Scope s = Scope.open()) {
                grads(p, step);
                double sq = 0;
                for (int i = 0; i < w.length; i++) sq += Math.pow(grad(i, step), 2);
                for (int i = 0; i < b.length; i++) sq += Math.pow(grad(i, step), 2);
                double total = Math.sqrt(sq);
                assertEquals(total, opt.clipGradNorm(maxNorms[step - 1]), 1e-5 * total, "the norm before clipping");
                double c = Math.min(1, maxNorms[step - 1] / (total + 1e-6));
                opt.step();
                opt.zeroGrad();
                reference(w, mw, vw, step, WD, c);
                reference(b, mb, vb, step, 0.0, c);
            }
        }
        assertClose(w, Tensors.toFloats(p.get("w")));
        assertClose(b, Tensors.toFloats(p.get("b")));
    }

    @Test
    void savedStateContinuesExactly(@TempDir Path dir) {
        Map<String, Tensor> a = params(2), b = params(2);
        AdamWOptimizer optA = optimizer(a), optB = optimizer(b);
        for (int step = 1; step <= 2; step++) {
            update(a, optA, step);
            update(b, optB, step);
        }
        Path file = dir.resolve("optimizer.pt");
        optB.save(file);
        AdamWOptimizer restored = optimizer(b);
        restored.load(file);
        for (int step = 3; step <= 4; step++) {
            update(a, optA, step);
            update(b, restored, step);
        }
        for (String name : a.keySet()) {
            assertArrayEquals(Tensors.toFloats(a.get(name)), Tensors.toFloats(b.get(name)), name);
        }
    }

    @Test
    void stateOfAnotherShapeIsRefusedNamingTheFile(@TempDir Path dir) {
        Map<String, Tensor> p = params(3);
        AdamWOptimizer opt = optimizer(p);
        update(p, opt, 1);
        Path file = dir.resolve("optimizer.pt");
        opt.save(file);
        Map<String, Tensor> other = new LinkedHashMap<>(p);
        other.put("w", Scope.keep(torch.randn(5, 6).requires_grad_(true)));
        UserError e = assertThrows(UserError.class, () -> optimizer(other).load(file));
        assertTrue(e.getMessage().contains("optimizer.pt") && e.getMessage().contains("exp_avg.w"), e.getMessage());
    }

    private static void reference(double[] p, double[] m, double[] v, int step, double wd) {
        reference(p, m, v, step, wd, 1.0);
    }

    private static void reference(double[] p, double[] m, double[] v, int step, double wd, double gradScale) {
        for (int i = 0; i < p.length; i++) {
            double g = grad(i, step) * gradScale;
            p[i] *= 1 - LR * wd;
            m[i] = B1 * m[i] + (1 - B1) * g;
            v[i] = B2 * v[i] + (1 - B2) * g * g;
            double mhat = m[i] / (1 - Math.pow(B1, step)), vhat = v[i] / (1 - Math.pow(B2, step));
            p[i] -= LR * mhat / (Math.sqrt(vhat) + EPS);
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private static void assertClose(double[] want, float[] got) {
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-6, "element " + i);
    }
}
