package dev.mathtune.model;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import dev.mathtune.engine.Autocast;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * Times one step's matrix products at a model's own shapes in fp32 and in bf16, through the code the engine runs
 * them with, so that {@link AutoDType} can pick the faster. A step is the products of {@code rows} token rows
 * through one decoder layer (q/k/v, o, gate/up, down, as {@link LayerProjections} groups them) times the layer
 * count, plus the lm_head (timed on its first {@value #HEAD_ROWS} rows and scaled to the vocabulary):
 * <ul>
 *   <li>inference: bf16 or fp32 weights, no autograd, the generator's thread policy ({@link
 *       Qwen2Model#productsOnOpenMp}) and, for 1–{@value PackedLinear#SMALL_MAX_ROWS} fp32 rows, XNNPACK's packed
 *       weights as the generator turns them on;</li>
 *   <li>training: fp32 master weights, forward and backward, under bf16 autocast or not; for full fine-tuning
 *       the weights' gradients too, for frozen-base methods (LoRA, prefix) only the inputs'.</li>
 * </ul>
 * Each timing is the best of {@value #REPEATS} repetitions (inference: {@value #INFERENCE_REPEATS}) after a warm-up
 * (which also packs or reorders weights).
 * Attention scores, norms, the loss and the optimizer are left out: they cost the same in both dtypes or are small
 * beside the products at the shapes where the choice matters. (The eleventh session tried timing inference as a
 * whole decoding step of a one- and a two-layer model, their difference taken as a layer: the difference drowned in
 * noise, and at 64 rows it put bf16 level with fp32 where bf16 decodes 3× faster; docs/BENCHMARKS.md.)
 */
public final class DTypeProbe {
    /** What the step is for. */
    public enum Workload {
        INFERENCE, TRAIN_FULL, TRAIN_FROZEN;

        public String label() {
            return switch (this) {
                case INFERENCE -> "inference";
                case TRAIN_FULL -> "full fine-tuning";
                case TRAIN_FROZEN -> "frozen-base training";
            };
        }
    }

    /** Seconds for one step's products in each dtype. */
    public record Timing(double fp32Seconds, double bf16Seconds) {
        /** fp32 time over bf16 time: above 1 when bf16 is faster. */
        public double bf16Speedup() {
            return fp32Seconds / bf16Seconds;
        }
    }

    /** Repetitions timed for training; inference steps are short, so they take {@value #INFERENCE_REPEATS}. */
    static final int REPEATS = 2, INFERENCE_REPEATS = 6;
    static final int HEAD_ROWS = 16384;

    private DTypeProbe() {
    }

    /**
     * Times a {@code workload} step of {@code rows} token rows at {@code config}'s shapes in fp32 and in bf16, their
     * repetitions alternating (fp32, bf16, fp32, …) so that other work on the machine falls on both alike.
     */
    public static Timing time(Qwen2Config config, Workload workload, long rows) {
        Engine.init();
        boolean training = workload != Workload.INFERENCE;
        try (Scope scope = Scope.open()) {
            Step fp32 = step(config, workload, rows, DType.FP32), bf16 = step(config, workload, rows, DType.BF16);
            double[] layer = best(fp32.layer, bf16.layer, rows, training);
            double[] head = best(fp32.head, bf16.head, rows, training);
            int vocab = headSlice(config.vocabSize());
            return new Timing(config.numLayers() * layer[0] + head[0] * config.vocabSize() / vocab,
                    config.numLayers() * layer[1] + head[1] * config.vocabSize() / vocab);
        }
    }

    /** One layer's products and the lm_head slice's, in one dtype. */
    private record Step(Runnable layer, Runnable head) {
    }

    private static Step step(Qwen2Config config, Workload workload, long rows, DType dtype) {
        boolean training = workload != Workload.INFERENCE;
        DType stored = training ? DType.FP32 : dtype;
        int vocab = headSlice(config.vocabSize());
        Qwen2Weights w = Qwen2Weights.random(config.withDepthAndVocab(1, vocab), stored, 0.02, 11);
        LayerProjections layer = LayerProjections.dense(w.layers().get(0));
        PackedLinear head = PackedLinear.lmHead(w.lmHead());
        if (training) {
            for (Projection p : layer.all()) p.weight().requires_grad_(workload == Workload.TRAIN_FULL);
            head.weight().requires_grad_(workload == Workload.TRAIN_FULL);
        } else if (dtype == DType.FP32 && rows <= PackedLinear.SMALL_MAX_ROWS) {
            layer.smallRows(true);
            head.smallRows(true);
        }
        long h = config.hiddenSize(), q = (long) config.numHeads() * config.headDim(), f = config.intermediateSize();
        Tensor xh = input(rows, h, stored, training), xq = input(rows, q, stored, training);
        Tensor xf = input(rows, f, stored, training);
        Runnable layerStep = () -> {
            Tensor[] qkv = layer.qkv(xh);
            Tensor[] gateUp = layer.gateUp(xh);
            Tensor[] outs = {qkv[0], qkv[1], qkv[2], layer.o().apply(xq), gateUp[0], gateUp[1], layer.down().apply(xf)};
            if (training) backward(outs);
        };
        Runnable headStep = () -> {
            Tensor logits = head.apply(xh);
            if (training) backward(logits);
        };
        return new Step(layerStep, headStep);
    }

    /**
     * The lm_head rows timed: the whole vocabulary up to {@value #HEAD_ROWS}, else that many (a product's time is
     * linear in its output width there, and the full 151936-row head would make the probe's training step take
     * half a minute on two cores).
     */
    static int headSlice(int vocab) {
        return Math.min(vocab, HEAD_ROWS);
    }

    private static Tensor input(long rows, long width, DType dtype, boolean training) {
        Tensor x = Tensors.randn(rows, width);
        if (dtype != DType.FP32) x = x.to(dtype.scalarType());
        return training ? x.requires_grad_(true) : x;
    }

    /** Backpropagates an all-ones gradient from each output ({@code sum().backward()}): the products' backward. */
    private static void backward(Tensor... outputs) {
        for (Tensor y : outputs) y.sum().backward();
    }

    /** The best time of each step's repetitions, {fp32, bf16}, taken alternately after one warm-up of each. */
    private static double[] best(Runnable fp32, Runnable bf16, long rows, boolean training) {
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE};
        for (int i = 0, n = training ? REPEATS : INFERENCE_REPEATS; i <= n; i++) {
            for (int d = 0; d < 2; d++) {
                double t = once(d == 0 ? fp32 : bf16, d == 0 ? DType.FP32 : DType.BF16, rows, training);
                if (i > 0) best[d] = Math.min(best[d], t);
            }
        }
        return best;
    }

    /** Seconds for one run of {@code step} under the thread policy and autocast its dtype gets. */
    private static double once(Runnable step, DType dtype, long rows, boolean training) {
        boolean openMp = training || Qwen2Model.productsOnOpenMp(dtype, rows);
        try (Engine.ThreadCount t = Engine.intraOpThreads(openMp ? 0 : 1);
             NoGradGuard ng = training ? null : new NoGradGuard();
             Scope s = Scope.open(); Autocast a = Autocast.of(training ? dtype : DType.FP32)) {
            // an inference step right after the other dtype's ran on another thread count would pay for waking the
            // OpenMP pool again, which the generator, which keeps one count per batch, does not: one untimed run first
            if (!training) step.run();
            long t0 = System.nanoTime();
            step.run();
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
