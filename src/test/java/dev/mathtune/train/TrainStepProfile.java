package dev.mathtune.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Autocast;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.experiment.FineTuneMethod;
import dev.mathtune.model.AttentionMask;
import dev.mathtune.model.Presets;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.model.Qwen2Weights;

/**
 * A development harness (not a test, not shipped): where one training step of a model shape goes, at 1×T rows of
 * random tokens, the way {@code bench train} builds it. Phases per step, each timed on its own: the decoder's
 * forward (to the final norm), the lm_head and loss forward, their backward (into a detached copy of the hidden
 * states), the decoder's backward from there, clipping, AdamW. Then pieces on their own, timed best-of-N after a
 * warm-up: one layer's attention core forward+backward written out and through {@code scaled_dot_product_attention},
 * and the lm_head + loss forward+backward unchunked (every position's fp32 log-softmax, one backward) and as
 * {@link MicroBatch#lossAndBackward} runs it
 * (chunk sizes), the lm_head's products, casts and log-softmax on their own. Mode {@code ab}: whole trainer steps
 * with the loss unchunked and as now, alternating in one process.
 *
 * <pre>
 *   java -cp target/test-classes:target/classes:$(cat target/classpath.txt) dev.mathtune.train.TrainStepProfile \
 *       [preset] [method] [dtype] [seqLen] [steps] [all|step|parts|head|mb|ab]
 * </pre>
 * with the launcher's environment ({@code OMP_WAIT_POLICY=PASSIVE}, its {@code GLIBC_TUNABLES}).
 */
public final class TrainStepProfile {
    /** Whether the step runs {@link MicroBatch#lossAndBackward} as a whole (phase {@code mb}) or split as below. */
    private static boolean WHOLE;
    /** Whether {@code parts} times the head's pieces only. */
    private static boolean HEAD_ONLY;

    private TrainStepProfile() {
    }

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "qwen2.5-0.5b";
        String method = args.length > 1 ? args[1] : "full";
        DType compute = DType.parse(args.length > 2 ? args[2] : "bf16");
        int t = args.length > 3 ? Integer.parseInt(args[3]) : 512;
        int steps = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        String only = args.length > 5 ? args[5] : "all";
        Engine.init();
        Qwen2Config c = Presets.get(preset);
        Qwen2Model model = new Qwen2Model(Qwen2Weights.random(c, DType.FP32, 0.02, 3), DType.FP32);
        Trainable tr = FineTuneMethod.forBenchmark(method, model, 8, 16);
        AdamWOptimizer opt = new AdamWOptimizer(tr.parameters(), tr.noDecay(), 1e-5, 0.9, 0.999, 1e-8, 0);
        SplittableRandom r = new SplittableRandom(9);
        System.out.printf(Locale.ROOT, "%s %s %s 1x%d, %d threads%n", preset, method, compute, t, Engine.threads());
        if (only.equals("ab")) {
            alternate(tr, opt, compute, r, c, t, steps);
            return;
        }
        WHOLE = only.equals("mb");
        if (only.equals("all") || only.equals("step") || WHOLE) {
            Map<String, double[]> phases = new LinkedHashMap<>();
            for (int s = 0; s <= steps; s++) {
                Map<String, Double> p = step(tr, opt, compute, randomExample(r, c, t));
                if (s == 0) {
                    System.out.printf(Locale.ROOT, "warm-up step %.2f s%n", p.values().stream().mapToDouble(x -> x).sum());
                    continue;
                }
                int at = s - 1;
                p.forEach((k, v) -> phases.computeIfAbsent(k, x -> new double[steps])[at] = v);
            }
            double total = 0;
            for (var e : phases.entrySet()) {
                double[] v = e.getValue().clone();
                Arrays.sort(v);
                total += v[steps / 2];
                System.out.printf(Locale.ROOT, "  %-22s median %.3f s  (%s)%n", e.getKey(), v[steps / 2], fmt(e.getValue()));
            }
            System.out.printf(Locale.ROOT, "  %-22s %.3f s%n", "sum of medians", total);
        }
        if (only.equals("all") || only.equals("parts") || only.equals("head")) {
            HEAD_ONLY = only.equals("head");
            parts(model, c, compute, t);
        }
    }

    /**
     * The trainer's step with the loss unchunked (every position's fp32 log-softmax, masked, one
     * backward) and as {@link MicroBatch#lossAndBackward} forms it, alternating step by step in one process after a
     * warm-up of each, {@code steps} of each; each step timed whole (micro-batch, clipping, AdamW).
     */
    private static void alternate(Trainable tr, AdamWOptimizer opt, DType compute, SplittableRandom r, Qwen2Config c,
                                  int t, int steps) {
        double[] before = new double[steps], after = new double[steps];
        for (int s = -1; s < steps; s++) {
            for (int variant = 0; variant < 2; variant++) {
                MicroBatch mb = MicroBatch.padded(List.of(randomExample(r, c, t)), tr.prefixLength());
                long t0 = System.nanoTime();
                try (Scope sc = Scope.open()) {
                    double divisor = mb.targetCount();
                    if (variant == 0) {
                        Tensor loss;
                        try (Autocast a = Autocast.of(compute)) {
                            Tensor hidden = mb.hidden(tr);
                            Tensor logits = tr.model().logits(hidden.narrow(1, 0, t - 1)).to(torch.ScalarType.Float);
                            Tensor picked = torch.log_softmax(logits, -1)
                                    .gather(-1, mb.idsTensor().narrow(1, 1, t - 1).unsqueeze(-1)).squeeze(-1);
                            loss = picked.mul(mb.targetsTensor().narrow(1, 1, t - 1).to(torch.ScalarType.Float)).sum().neg();
                        }
                        loss.item_double();
                        loss.div(new Scalar(divisor)).backward();
                    } else {
                        mb.lossAndBackward(tr, compute, divisor).item_double();
                    }
                }
                try (Scope sc = Scope.open()) {
                    opt.clipGradNorm(1.0);
                    opt.step();
                    opt.zeroGrad();
                }
                double dt = (System.nanoTime() - t0) / 1e9;
                if (s >= 0) (variant == 0 ? before : after)[s] = dt;
                System.out.printf(Locale.ROOT, "  %s step %d: %.3f s%n", variant == 0 ? "before" : "after ", s + 1, dt);
            }
        }
        double[] ratio = new double[steps];
        for (int i = 0; i < steps; i++) ratio[i] = after[i] / before[i];
        System.out.printf(Locale.ROOT, "before: median %.3f s (%s)%nafter:  median %.3f s (%s)%nafter/before per pair: median %.3f (%s)%n",
                median(before), fmt(before), median(after), fmt(after), median(ratio), fmt(ratio));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static SftExample randomExample(SplittableRandom r, Qwen2Config c, int t) {
        int[] ids = new int[t];
        boolean[] target = new boolean[t];
        for (int j = 0; j < t; j++) {
            ids[j] = r.nextInt(c.vocabSize());
            target[j] = j > 0;
        }
        return new SftExample(ids, target);
    }

    /** One optimizer step of one example, phase by phase (seconds); the loss as {@code MicroBatch.lossSum} forms it. */
    private static Map<String, Double> step(Trainable tr, AdamWOptimizer opt, DType compute, SftExample ex) {
        Map<String, Double> out = new LinkedHashMap<>();
        Qwen2Model m = tr.model();
        int t = ex.ids().length;
        long[] ids = new long[t], pos = new long[t];
        for (int i = 0; i < t; i++) {
            ids[i] = ex.ids()[i];
            pos[i] = tr.prefixLength() + i;
        }
        if (WHOLE) {
            try (Scope s = Scope.open()) {
                long t0 = System.nanoTime();
                MicroBatch mb = MicroBatch.padded(List.of(ex), tr.prefixLength());
                double v = mb.lossAndBackward(tr, compute, mb.targetCount()).item_double();
                if (!Double.isFinite(v)) throw new IllegalStateException("loss " + v);
                out.put("micro-batch fwd+bwd", (System.nanoTime() - t0) / 1e9);
            }
        } else try (Scope s = Scope.open()) {
            long t0 = System.nanoTime();
            Tensor idT = Tensors.longs(ids, 1, t), posT = Tensors.longs(pos, 1, t);
            long p = tr.prefixLength();
            Tensor keyValid = Tensors.onesLong(1, p + t);
            Tensor bias = AttentionMask.causal(keyValid, p, t, m.dtype());
            Tensor hidden, loss;
            try (Autocast a = Autocast.of(compute)) {
                hidden = m.forward(idT, posT, bias, tr.trainingPrefix(1));
            }
            long t1 = System.nanoTime();
            Tensor leaf = hidden.detach().requires_grad_(true);
            try (Autocast a = Autocast.of(compute)) {
                Tensor logits = m.logits(leaf.narrow(1, 0, t - 1)).to(torch.ScalarType.Float);
                Tensor logp = torch.log_softmax(logits, -1);
                loss = logp.gather(-1, idT.narrow(1, 1, t - 1).unsqueeze(-1)).sum().neg();
            }
            long t2 = System.nanoTime();
            double value = loss.item_double();
            loss.div(new Scalar((double) (t - 1))).backward();
            long t3 = System.nanoTime();
            hidden.backward(leaf.grad(), new org.bytedeco.pytorch.BoolOptional(), false, new org.bytedeco.pytorch.TensorArrayRefOptional());
            long t4 = System.nanoTime();
            if (!Double.isFinite(value)) throw new IllegalStateException("loss " + value);
            out.put("decoder forward", (t1 - t0) / 1e9);
            out.put("head+loss forward", (t2 - t1) / 1e9);
            out.put("head+loss backward", (t3 - t2) / 1e9);
            out.put("decoder backward", (t4 - t3) / 1e9);
        }
        try (Scope s = Scope.open()) {
            long t0 = System.nanoTime();
            opt.clipGradNorm(1.0);
            long t1 = System.nanoTime();
            opt.step();
            long t2 = System.nanoTime();
            opt.zeroGrad();
            long t3 = System.nanoTime();
            out.put("clip", (t1 - t0) / 1e9);
            out.put("adamw", (t2 - t1) / 1e9);
            out.put("zero grad", (t3 - t2) / 1e9);
        }
        return out;
    }

    private static String fmt(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", x));
        return b.toString();
    }

    /** Pieces of a layer and of the head, best of 5 after 2 warm-ups, forward + backward. */
    private static void parts(Qwen2Model model, Qwen2Config c, DType compute, int t) {
        long nh = c.numHeads(), nkv = c.numKvHeads(), d = c.headDim(), g = c.groups(), h = c.hiddenSize();
        DType act = compute == DType.FP32 ? DType.FP32 : compute;
        Tensor bias = AttentionMask.causal(Tensors.onesLong(1, t), 0, t, act);
        if (!HEAD_ONLY) layerParts(c, compute, t, act, bias);
        headParts(model, c, compute, t, act);
    }

    private static void layerParts(Qwen2Config c, DType compute, int t, DType act, Tensor bias) {
        long nh = c.numHeads(), nkv = c.numKvHeads(), d = c.headDim(), g = c.groups(), h = c.hiddenSize();
        Tensor q0 = Tensors.randn(1, nh, t, d).to(act.scalarType());
        Tensor k0 = Tensors.randn(1, nkv, t, d).to(act.scalarType());
        Tensor v0 = Tensors.randn(1, nkv, t, d).to(act.scalarType());
        time("attention written out", () -> {
            Tensor q = q0.detach().requires_grad_(true), k = k0.detach().requires_grad_(true), v = v0.detach().requires_grad_(true);
            Tensor qg = q.reshape(1, nkv, g * t, d);
            Tensor scores = qg.matmul(k.transpose(-1, -2)).mul(new Scalar(1.0 / Math.sqrt(d))).view(1, nkv, g, t, t).add(bias);
            Tensor probs = act == DType.FP32 ? scores.softmax(-1)
                    : scores.softmax(-1, new ScalarTypeOptional(DType.FP32.scalarType())).to(act.scalarType());
            Tensor o = probs.view(1, nkv, g * t, t).matmul(v).view(1, nh, t, d).transpose(1, 2).reshape(1, t, nh * d);
            o.sum().backward();
        });
        time("attention sdpa (gqa, mask)", () -> {
            Tensor q = q0.detach().requires_grad_(true), k = k0.detach().requires_grad_(true), v = v0.detach().requires_grad_(true);
            Tensor o = torch.scaled_dot_product_attention(q, k, v, new TensorOptional(bias.reshape(1, 1, t, t)), 0.0, false,
                    new DoubleOptional(1.0 / Math.sqrt(d)), true);
            o.transpose(1, 2).reshape(1, t, nh * d).sum().backward();
        });
        time("attention sdpa (gqa, causal)", () -> {
            Tensor q = q0.detach().requires_grad_(true), k = k0.detach().requires_grad_(true), v = v0.detach().requires_grad_(true);
            Tensor o = torch.scaled_dot_product_attention(q, k, v, new TensorOptional(), 0.0, true,
                    new DoubleOptional(1.0 / Math.sqrt(d)), true);
            o.transpose(1, 2).reshape(1, t, nh * d).sum().backward();
        });
        // one layer's seven projections, forward + both gradients, bf16 weights cast beforehand vs fp32 master
        // weights under autocast (the cast in the forward, the fp32 gradient in the backward)
        long inter = c.intermediateSize();
        long[][] shapes = {{nh * d, h}, {nkv * d, h}, {nkv * d, h}, {h, nh * d}, {inter, h}, {inter, h}, {h, inter}};
        Tensor[] w32 = new Tensor[7], wb = new Tensor[7];
        for (int i = 0; i < 7; i++) {
            w32[i] = Tensors.randn(shapes[i]).mul(new Scalar(0.02)).requires_grad_(true);
            wb[i] = w32[i].detach().to(act.scalarType()).requires_grad_(true);
        }
        Tensor xa = Tensors.randn(1, t, h).to(act.scalarType()), xi = Tensors.randn(1, t, inter).to(act.scalarType());
        time("layer products, cast weights", () -> {
            for (int i = 0; i < 7; i++) {
                Tensor in = (i == 6 ? xi : xa).detach().requires_grad_(true);
                torch.linear(in, wb[i]).sum().backward();
            }
        });
        time("layer products, autocast", () -> {
            for (int i = 0; i < 7; i++) {
                Tensor in = (i == 6 ? xi : xa).detach().to(torch.ScalarType.Float).requires_grad_(true);
                Tensor y;
                try (Autocast a = Autocast.of(compute)) {
                    y = torch.linear(in, w32[i]);
                }
                y.sum().backward();
            }
        });
        for (int i : new int[]{0, 1, 3, 4, 6}) {
            int k = i;
            time("  product " + shapes[i][0] + "x" + shapes[i][1] + " fwd+bwd", () -> {
                Tensor in = (k == 6 ? xi : xa).detach().requires_grad_(true);
                torch.linear(in, wb[k]).sum().backward();
            });
        }
        Tensor x32 = Tensors.randn(1, t, h).requires_grad_(true);
        Tensor nw = Tensors.full(1.0, DType.FP32, h).requires_grad_(true);
        time("rms_norm fwd+bwd (autocast)", () -> {
            Tensor y;
            try (Autocast a = Autocast.of(compute)) {
                y = torch.rms_norm(x32, new long[]{h}, new TensorOptional(nw), new DoubleOptional(1e-6));
            }
            y.sum().backward();
        });
        Tensor gu = Tensors.randn(1, t, inter).to(act.scalarType());
        time("silu*mul fwd+bwd", () -> {
            Tensor a = gu.detach().requires_grad_(true), b = gu.detach().requires_grad_(true);
            torch.silu(a).mul(b).sum().backward();
        });
    }

    private static void headParts(Qwen2Model model, Qwen2Config c, DType compute, int t, DType act) {
        long h = c.hiddenSize();
        Tensor hid = Tensors.randn(1, t, h);
        long[] ids = new long[t];
        for (int i = 0; i < t; i++) ids[i] = (i * 7919L) % c.vocabSize();
        Tensor next = Tensors.longs(ids, 1, t).narrow(1, 1, t - 1);
        time("head+loss fwd+bwd (lossSum's form)", () -> {
            Tensor x = hid.detach().requires_grad_(true);
            Tensor loss;
            try (Autocast a = Autocast.of(compute)) {
                Tensor logits = model.logits(x.narrow(1, 0, t - 1)).to(torch.ScalarType.Float);
                loss = torch.log_softmax(logits, -1).gather(-1, next.unsqueeze(-1)).sum().neg();
            }
            loss.backward();
        });
        Tensor nextFlat = next.reshape(-1);
        for (int chunk : new int[]{128, 256, 512, 256, 512}) {
            time("head+loss fwd+bwd, chunks of " + chunk, () -> {
                Tensor x = hid.reshape(-1, h).narrow(0, 0, t - 1).detach().requires_grad_(true);
                MicroBatch.headLoss(model, x, nextFlat, compute, t - 1, chunk);
            });
        }
        Tensor w = model.weights().lmHead();
        time("lm_head product fwd only", () -> {
            try (Autocast a = Autocast.of(compute)) {
                model.logits(hid.narrow(1, 0, t - 1));
            }
        });
        Tensor x16 = hid.to(act.scalarType());
        Tensor w16 = w.to(act.scalarType());
        time("lm_head weight cast", () -> w.to(act.scalarType()));
        time("lm_head 3 products", () -> {
            Tensor lg = torch.linear(x16, w16);
            lg.matmul(w16);                       // dX
            lg.view(-1, c.vocabSize()).t().matmul(x16.view(-1, h)); // dW
        });
        Tensor lg = torch.linear(x16, w16);
        time("logits to fp32", () -> lg.to(torch.ScalarType.Float));
        Tensor lg32 = lg.to(torch.ScalarType.Float);
        time("log_softmax fp32", () -> torch.log_softmax(lg32, -1));
        time("logsumexp fp32", () -> lg32.logsumexp(new long[]{-1}, false));
        time("log_softmax bf16->fp32", () -> lg.log_softmax(-1, new ScalarTypeOptional(torch.ScalarType.Float)));
    }

    private static void time(String what, Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 7; i++) {
            try (Scope s = Scope.open()) {
                long t0 = System.nanoTime();
                r.run();
                double dt = (System.nanoTime() - t0) / 1e9;
                if (i >= 2) best = Math.min(best, dt);
            }
        }
        System.out.printf(Locale.ROOT, "  %-32s best %.1f ms%n", what, best * 1e3);
    }
}
