package dev.mathtune.model;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Autocast;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * Times one step of a model's work at its own shapes in fp32 and in bf16, through the code the engine runs it with,
 * so that {@link AutoDType} can pick the faster. A step is one decoder layer's work for {@code rows} token rows times
 * the layer count, plus the lm_head's (timed on its first {@value #HEAD_ROWS} rows and scaled to the vocabulary):
 * <ul>
 *   <li>inference: a decoding step, one new token for each of {@code rows} sequences after {@value #CONTEXT}
 *       earlier positions, through a one-layer and a two-layer model in the dtype (embedding, the layers with their
 *       attention over the KV cache, norms and products, the final norm; their difference is one layer's share, the
 *       rest the step's fixed part), then the lm_head and the log-softmax and argmax the generator takes of the
 *       logits, under the generator's thread policy ({@link Qwen2Model#productsOnOpenMp})
 *       and, for 1–{@value PackedLinear#SMALL_MAX_ROWS} fp32 rows, on XNNPACK's packed weights as the generator
 *       turns them on. The whole step and not its products alone: at one row the products of the 0.5B shape took
 *       about as long in either dtype (46.6 ms bf16, 48.9 fp32) while whole bf16 steps were 12–27 % faster
 *       (docs/BENCHMARKS.md, tenth and eleventh sessions);</li>
 *   <li>training: the products of one layer (q/k/v, o, gate/up, down, as {@link LayerProjections} groups them)
 *       with fp32 master weights, forward and backward, under bf16 autocast or not; for full fine-tuning the
 *       weights' gradients too, for frozen-base methods (LoRA, prefix) only the inputs'. Attention scores, norms,
 *       the loss and the optimizer are left out: they are small beside the products at training's row counts.</li>
 * </ul>
 * Each timing is the best of {@value #REPEATS} repetitions (inference: {@value #INFERENCE_REPEATS}) after a warm-up
 * (which also packs or reorders weights), fp32's and bf16's taken in turn.
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
    /** The earlier positions an inference step's attention reads (the benchmarks' 128-token prompts). */
    static final int CONTEXT = 128;

    private DTypeProbe() {
    }

    /**
     * Times a {@code workload} step of {@code rows} token rows at {@code config}'s shapes in fp32 and in bf16, their
     * repetitions alternating (fp32, bf16, fp32, …) so that other work on the machine falls on both alike.
     */
    public static Timing time(Qwen2Config config, Workload workload, long rows) {
        Engine.init();
        boolean training = workload != Workload.INFERENCE;
        int layers = config.numLayers();
        double headScale = (double) config.vocabSize() / headSlice(config.vocabSize());
        try (Scope scope = Scope.open()) {
            if (!training) {
                // a one-layer and a two-layer model: their difference is a layer, the rest is the step's fixed part
                Step fp32 = decodingStep(config, rows, DType.FP32, 1), bf16 = decodingStep(config, rows, DType.BF16, 1);
                double[] one = best(fp32.layer, bf16.layer, rows, false), head = best(fp32.head, bf16.head, rows, false);
                Step fp32Two = decodingStep(config, rows, DType.FP32, 2), bf16Two = decodingStep(config, rows, DType.BF16, 2);
                double[] two = best(fp32Two.layer, bf16Two.layer, rows, false), step = new double[2];
                for (int d = 0; d < 2; d++) {
                    double layer = Math.max(two[d] - one[d], 0);
                    step[d] = one[d] - layer + layers * layer + head[d] * headScale;
                }
                return new Timing(step[0], step[1]);
            }
            Step fp32 = step(config, workload, rows, DType.FP32), bf16 = step(config, workload, rows, DType.BF16);
            double[] layer = best(fp32.layer, bf16.layer, rows, true), head = best(fp32.head, bf16.head, rows, true);
            return new Timing(layers * layer[0] + head[0] * headScale, layers * layer[1] + head[1] * headScale);
        }
    }

    /** One layer's work (for inference: a one- or two-layer model's forward) and the lm_head slice's, in one dtype. */
    private record Step(DType dtype, Runnable layer, Runnable head) {
    }

    private static Step step(Qwen2Config config, Workload workload, long rows, DType dtype) {
        boolean training = true;
        DType stored = training ? DType.FP32 : dtype;
        int vocab = headSlice(config.vocabSize());
        Qwen2Weights w = Qwen2Weights.random(config.withDepthAndVocab(1, vocab), stored, 0.02, 11);
        LayerProjections layer = LayerProjections.dense(w.layers().get(0));
        PackedLinear head = PackedLinear.lmHead(w.lmHead());
        if (training) {
            for (Projection p : layer.all()) p.weight().requires_grad_(workload == Workload.TRAIN_FULL);
            head.weight().requires_grad_(workload == Workload.TRAIN_FULL);
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
        return new Step(dtype, layerStep, headStep);
    }

    /**
     * A decoding step of {@code rows} sequences through a {@code depth}-layer model in {@code dtype}, as the generator
     * runs it.
     */
    private static Step decodingStep(Qwen2Config config, long rows, DType dtype, int depth) {
        int b = Math.toIntExact(rows);
        Qwen2Config one = config.withDepthAndVocab(depth, headSlice(config.vocabSize()));
        Qwen2Model model = new Qwen2Model(Qwen2Weights.random(one, dtype, 0.02, 11), dtype);
        if (dtype == DType.FP32 && rows <= Qwen2Model.SMALL_ROWS) model.packSmallRows(true);
        KvCache cache = new KvCache(one, b, CONTEXT + 1, dtype);
        cache.advance(CONTEXT);                     // earlier positions (zeros): what the step's attention reads
        long[] position = new long[b];
        java.util.Arrays.fill(position, CONTEXT);
        Tensor ids = Tensors.longs(new long[b], b, 1), positions = Tensors.longs(position, b, 1);
        Tensor bias = AttentionMask.causal(Tensors.onesLong(b, CONTEXT + 1), CONTEXT, 1, dtype);
        Tensor hidden = input(rows, config.hiddenSize(), dtype, false);
        // the forward writes the new column and leaves the cache's length alone, so every repetition is the same step
        Runnable layerStep = () -> model.forward(ids, positions, bias, cache);
        Runnable headStep = () -> {
            Tensor logits = model.logits(hidden);
            torch.log_softmax(logits.to(torch.ScalarType.Float), -1);
            logits.argmax(new org.bytedeco.pytorch.LongOptional(-1), false);
        };
        return new Step(dtype, layerStep, headStep);
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
            long t0 = System.nanoTime();
            step.run();
            return (System.nanoTime() - t0) / 1e9;
        }
    }
}
