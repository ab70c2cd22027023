package dev.mathtune.train;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

import dev.mathtune.engine.Autocast;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.model.Presets;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.model.Qwen2Weights;
import dev.mathtune.peft.LoraAdapter;
import dev.mathtune.peft.LoraConfig;
import dev.mathtune.peft.PrefixConfig;
import dev.mathtune.peft.PrefixTuning;

/**
 * {@link MicroBatch#lossAndBackward} (target rows only, lm_head and loss in chunks, each back-propagated into a
 * detached copy of the hidden states, then the decoder's backward) against the plain formulation it replaced: fp32
 * logits and log-softmax over every position, the target log-probabilities gathered, masked, summed and
 * back-propagated once. Same loss and same gradient of every trainable tensor, on a tiny random Qwen2 (tied and
 * untied head; full fine-tuning, LoRA, prefix), for several chunk sizes, padded and packed rows, in fp32 (to fp32
 * rounding) and under bf16 autocast (to bf16 rounding of the products).
 */
class ChunkedLossTest {
    private static final Qwen2Config TIED = Presets.get("tiny");
    private static final Qwen2Config UNTIED = new Qwen2Config(TIED.vocabSize(), TIED.hiddenSize(),
            TIED.intermediateSize(), TIED.numLayers(), TIED.numHeads(), TIED.numKvHeads(), TIED.headDim(),
            TIED.rmsNormEps(), TIED.ropeTheta(), false, TIED.maxPositionEmbeddings(), TIED.bosTokenId(),
            TIED.eosTokenIds(), TIED.torchDtype());

    /** Three examples of different lengths, the first tokens of each a prompt (not trained). */
    private static List<SftExample> examples() {
        List<SftExample> out = new ArrayList<>();
        int[] lengths = {23, 9, 17};
        for (int e = 0; e < lengths.length; e++) {
            int[] ids = new int[lengths[e]];
            boolean[] target = new boolean[lengths[e]];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (int) ((7L + 131L * e + 37L * i * i) % TIED.vocabSize());
                target[i] = i >= 2 + e;
            }
            out.add(new SftExample(ids, target));
        }
        return out;
    }

    private static Trainable full(Qwen2Config c) {
        return new FullFineTune(new Qwen2Model(Qwen2Weights.random(c, DType.FP32, 0.02, 11), DType.FP32), null, DType.FP32);
    }

    private static Trainable lora(Qwen2Config c) {
        Qwen2Model base = new Qwen2Model(Qwen2Weights.random(c, DType.FP32, 0.02, 11), DType.FP32);
        LoraAdapter a = LoraAdapter.create(base, new LoraConfig(4, 8, 0.0, LoraConfig.ALL_TARGETS, false, 3));
        // B starts at zero (PEFT's init), which would leave A without gradient: move it off zero, the same in both
        try (Scope s = Scope.open(); var ng = new org.bytedeco.pytorch.NoGradGuard()) {
            int i = 0;
            for (Map.Entry<String, Tensor> e : a.parameters().entrySet()) {
                if (e.getKey().contains("lora_B")) e.getValue().copy_(Tensors.full(0.01 * (1 + i++ % 5), DType.FP32, Tensors.shape(e.getValue())));
            }
        }
        return a;
    }

    private static Trainable prefix(Qwen2Config c) {
        return PrefixTuning.create(new Qwen2Model(Qwen2Weights.random(c, DType.FP32, 0.02, 11), DType.FP32), PrefixConfig.of(4));
    }

    /** The formulation before chunking: every position's fp32 log-softmax, gathered and masked; one backward. */
    private static double reference(Trainable tr, MicroBatch mb, DType compute, double divisor) {
        try (Scope s = Scope.open()) {
            Tensor loss;
            try (Autocast a = Autocast.of(compute)) {
                Tensor hidden = mb.hidden(tr);                                           // (B, T, H)
                long t = hidden.size(1);
                Tensor logits = tr.model().logits(hidden.narrow(1, 0, t - 1)).to(torch.ScalarType.Float);
                Tensor logp = torch.log_softmax(logits, -1);
                Tensor picked = logp.gather(-1, mb.idsTensor().narrow(1, 1, t - 1).unsqueeze(-1)).squeeze(-1);
                Tensor mask = mb.targetsTensor().narrow(1, 1, t - 1).to(torch.ScalarType.Float);
                loss = picked.mul(mask).sum().neg();
            }
            double v = loss.item_double();
            loss.div(new Scalar(divisor)).backward();
            return v;
        }
    }

    private static Map<String, float[]> gradsAndZero(Trainable tr) {
        Map<String, float[]> g = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tr.parameters().entrySet()) {
            Tensor grad = e.getValue().grad();
            assertTrue(grad.defined(), e.getKey() + " has a gradient");
            assertEquals(DType.FP32.scalarType().value, grad.scalar_type().value, e.getKey() + " gradient is fp32");
            g.put(e.getKey(), Tensors.toFloats(grad));
            grad.zero_();
        }
        return g;
    }

    /**
     * Reference and chunked runs on two copies of the same trainable; the losses within {@code lossRel}, each
     * gradient within {@code gradRel} of its largest entry (and, under bf16, cosine above 0.9999).
     */
    private static void agree(Function<Qwen2Config, Trainable> make, Qwen2Config c, MicroBatch mb, DType compute,
                              int chunk, double lossRel, double gradRel) {
        Engine.init();
        Trainable a = make.apply(c), b = make.apply(c);
        double divisor = Math.max(1, mb.targetCount());
        double want = reference(a, mb, compute, divisor);
        double got;
        try (Scope s = Scope.open()) {
            got = mb.lossAndBackward(b, compute, divisor, chunk).item_double();
        }
        assertFalse(torch.is_autocast_enabled(torch.DeviceType.CPU), "autocast off afterwards");
        assertEquals(want, got, lossRel * Math.max(1e-30, Math.abs(want)), "loss, chunks of " + chunk);
        Map<String, float[]> ga = gradsAndZero(a), gb = gradsAndZero(b);
        for (String name : ga.keySet()) {
            float[] x = ga.get(name), y = gb.get(name);
            double scale = 0, err = 0, dot = 0, nx = 0, ny = 0;
            for (int i = 0; i < x.length; i++) {
                scale = Math.max(scale, Math.abs(x[i]));
                err = Math.max(err, Math.abs(x[i] - y[i]));
                dot += (double) x[i] * y[i];
                nx += (double) x[i] * x[i];
                ny += (double) y[i] * y[i];
            }
            assertTrue(err <= gradRel * scale, name + " (chunks of " + chunk + ", " + compute + "): max |Δ| " + err
                    + " vs max |g| " + scale);
            if (compute != DType.FP32 && nx > 0) {
                assertTrue(dot / Math.sqrt(nx * ny) > 0.9999, name + " cosine " + dot / Math.sqrt(nx * ny));
            }
        }
    }

    @Test
    void fullFineTuningAgreesInFp32ForEveryChunkSize() {
        MicroBatch mb = MicroBatch.padded(examples(), 0);
        for (int chunk : new int[]{1, 5, 16, MicroBatch.HEAD_CHUNK_ROWS, MicroBatch.HEAD_CHUNK_ROWS_FP32}) {
            agree(ChunkedLossTest::full, TIED, mb, DType.FP32, chunk, 1e-6, 1e-5);
        }
        agree(ChunkedLossTest::full, UNTIED, mb, DType.FP32, 7, 1e-6, 1e-5);
    }

    @Test
    void packedRowsAgree() {
        MicroBatch mb = MicroBatch.packed(examples(), 64);
        agree(ChunkedLossTest::full, TIED, mb, DType.FP32, 6, 1e-6, 1e-5);
    }

    @Test
    void loraAndPrefixAgreeInFp32() {
        MicroBatch mb = MicroBatch.padded(examples(), 0);
        agree(ChunkedLossTest::lora, TIED, mb, DType.FP32, 5, 1e-6, 1e-5);
        MicroBatch withPrefix = MicroBatch.padded(examples(), 4);
        agree(ChunkedLossTest::prefix, TIED, withPrefix, DType.FP32, 5, 1e-6, 1e-5);
    }

    /**
     * Under bf16 autocast the chunked products have other row counts, so oneDNN may sum in another order before
     * rounding to bf16 (8 significant bits), and the weight gradient is rounded per chunk instead of once.
     */
    @Test
    void bf16AutocastAgreesToBf16Rounding() {
        MicroBatch mb = MicroBatch.padded(examples(), 0);
        agree(ChunkedLossTest::full, TIED, mb, DType.BF16, 5, 1e-3, 2e-2);
        agree(ChunkedLossTest::full, UNTIED, mb, DType.BF16, MicroBatch.HEAD_CHUNK_ROWS, 1e-3, 2e-2);
        agree(ChunkedLossTest::lora, TIED, mb, DType.BF16, 5, 1e-3, 2e-2);
    }

    /** A micro-batch without targets: loss 0 and every parameter a (zero) gradient, as the masked sum gave. */
    @Test
    void noTargetsGivesZeroLossAndZeroGradients() {
        List<SftExample> prompts = new ArrayList<>();
        for (SftExample e : examples()) prompts.add(new SftExample(e.ids(), new boolean[e.ids().length]));
        MicroBatch mb = MicroBatch.padded(prompts, 0);
        assertEquals(0, mb.targetCount());
        agree(ChunkedLossTest::full, TIED, mb, DType.FP32, 4, 0, 0);
    }
}
