package dev.mathtune.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.testing.Golden;

/**
 * Loss, every parameter's gradient and one AdamW step against the PyTorch reference
 * (make_goldens.py: response-only loss on the tiny-tied checkpoint, float64 gradients, torch.optim.AdamW).
 */
class GradientParityTest {

    @Test
    void lossGradientsAndAdamWMatchTorch() {
        JsonNode spec = Golden.json("tiny-tied", "train.json");
        Map<String, SafetensorsEntry> golden = Safetensors.read(Golden.dir("tiny-tied").resolve("train.safetensors"));
        FullFineTune full = goldenModel();
        lossAndBackward(full, spec, DType.FP32, 1e-4);
        assertEquals(full.parameters().size(), golden.keySet().stream().filter(k -> k.startsWith("grad.")).count());
        for (Map.Entry<String, Tensor> e : full.parameters().entrySet()) {
            SafetensorsEntry g = golden.get("grad." + e.getKey());
            assertNotNull(g, "golden gradient for " + e.getKey());
            double[] want = Tensors.toDoubles(Tensors.fromBytes(g.data(), DType.FP64, g.shape(), DType.FP64));
            double[] got = Tensors.toDoubles(e.getValue().grad());
            assertRelClose(want, got, 1e-4, "grad " + e.getKey());
        }
        JsonNode a = spec.path("adamw");
        AdamWOptimizer opt = new AdamWOptimizer(full.parameters(), full.noDecay(), a.path("lr").asDouble(),
                a.path("betas").get(0).asDouble(), a.path("betas").get(1).asDouble(), a.path("eps").asDouble(),
                a.path("weight_decay").asDouble());
        try (Scope s = Scope.open(); NoGradGuard ng = new NoGradGuard()) {
            // same gradients as torch's step: AdamW's first update g/(|g|+eps) amplifies noise where g ~ 0
            for (Map.Entry<String, Tensor> e : full.parameters().entrySet()) {
                SafetensorsEntry g = golden.get("grad32." + e.getKey());
                e.getValue().grad().copy_(Tensors.fromBytes(g.data(), DType.FP32, g.shape(), DType.FP32));
            }
            opt.step();
        }
        double worst = 0;
        for (Map.Entry<String, Tensor> e : full.parameters().entrySet()) {
            SafetensorsEntry w = golden.get("adamw." + e.getKey());
            float[] want = Tensors.toFloats(Tensors.fromBytes(w.data(), DType.FP32, w.shape(), DType.FP32));
            float[] got = Tensors.toFloats(e.getValue());
            double w1 = 0;
            for (int i = 0; i < want.length; i++) w1 = Math.max(w1, Math.abs(want[i] - got[i]));
            worst = Math.max(worst, w1);
        }
        assertTrue(worst <= 1e-6, "max |Δw| after one AdamW step = " + worst);
    }

    /**
     * bf16 autocast over fp32 master weights: the loss and every gradient stay close to the float64 reference
     * (bf16 keeps 8 bits of mantissa: relative error ~1e-2 on the largest entries, cosine > 0.999), the gradients
     * are fp32 like their weights, and autocast is off again afterwards.
     */
    @Test
    void bf16AutocastGradientsAreCloseToTorch() {
        JsonNode spec = Golden.json("tiny-tied", "train.json");
        Map<String, SafetensorsEntry> golden = Safetensors.read(Golden.dir("tiny-tied").resolve("train.safetensors"));
        FullFineTune full = goldenModel();
        lossAndBackward(full, spec, DType.BF16, 2e-2);
        for (Map.Entry<String, Tensor> e : full.parameters().entrySet()) {
            SafetensorsEntry g = golden.get("grad." + e.getKey());
            double[] want = Tensors.toDoubles(Tensors.fromBytes(g.data(), DType.FP64, g.shape(), DType.FP64));
            Tensor grad = e.getValue().grad();
            assertEquals(DType.FP32.scalarType().value, grad.scalar_type().value, e.getKey() + " grad dtype");
            double[] got = Tensors.toDoubles(grad);
            assertRelClose(want, got, 5e-2, "bf16 grad " + e.getKey());
            double dot = 0, nw = 0, ng = 0;
            for (int i = 0; i < want.length; i++) {
                dot += want[i] * got[i];
                nw += want[i] * want[i];
                ng += got[i] * got[i];
            }
            if (nw > 0) assertTrue(dot / Math.sqrt(nw * ng) > 0.999, e.getKey() + " cosine " + dot / Math.sqrt(nw * ng));
        }
    }

    private static FullFineTune goldenModel() {
        return new FullFineTune(ModelLoader.load(Golden.dir("tiny-tied"), DType.FP32), null, DType.FP32);
    }

    /**
     * The golden example's token-mean loss (products under autocast to {@code compute}; fp32 means none) and its
     * backward ({@link MicroBatch#lossAndBackward}), the loss checked against the float64 reference within
     * {@code rel}. Autocast is off afterwards.
     */
    private static void lossAndBackward(FullFineTune full, JsonNode spec, DType compute, double rel) {
        MicroBatch mb = goldenBatch(spec);
        try (Scope s = Scope.open()) {
            double loss = mb.lossAndBackward(full, compute, mb.targetCount()).item_double() / mb.targetCount();
            assertFalse(torch.is_autocast_enabled(torch.DeviceType.CPU), "autocast off afterwards");
            double want = spec.path("loss_f64").asDouble();
            assertEquals(want, loss, rel * Math.abs(want));
        }
    }

    /** The golden example: loss on the tokens after the prompt. */
    private static MicroBatch goldenBatch(JsonNode spec) {
        int[] ids = Golden.ints(spec.path("input_ids").get(0));
        boolean[] target = new boolean[ids.length];
        for (int i = spec.path("prompt_len").asInt(); i < ids.length; i++) target[i] = true;
        return MicroBatch.padded(List.of(new SftExample(ids, target)), 0);
    }

    static void assertRelClose(double[] want, double[] got, double rel, String what) {
        double scale = 0, err = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        assertTrue(err <= rel * scale, what + ": max |Δ| " + err + " vs max |g| " + scale);
    }
}
