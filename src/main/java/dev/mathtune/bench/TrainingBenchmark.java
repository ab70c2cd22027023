package dev.mathtune.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.model.Qwen2Weights;
import dev.mathtune.parallel.Collectives;
import dev.mathtune.train.AdamWOptimizer;
import dev.mathtune.train.DataFormat;
import dev.mathtune.train.SftExample;
import dev.mathtune.train.TrainSpec;
import dev.mathtune.train.Trainable;
import dev.mathtune.train.Trainer;

/**
 * Training-step throughput at a model shape with random weights, measured like {@code bench_cpu.py}: one warm-up
 * step, then timed steps of forward + backward + AdamW on random tokens (loss on every token); reports the median
 * step, tokens/s, peak RSS, and model FLOPs utilisation = model FLOPs per step / step time / measured matmul peak,
 * the peak measured before the model is built and again after the timed steps and the higher taken (this VM's
 * sgemm rate drifts by ±20 % over minutes; the higher peak gives the lower, conservative MFU), with model FLOPs =
 * 3× forward matmul FLOPs for full fine-tuning and 2× for frozen-base methods. With dtype bf16 the products run
 * under autocast (fp32 master weights); MFU is taken against the measured fp32 peak and, as {@code mfu_bf16},
 * against the bf16 2048³ peak measured after the steps.
 *
 * <p>Data-parallel (a {@link Collectives} world of W workers, each with {@code batch} rows): also the median
 * seconds a step spends in its collectives (the bucketed gradient all-reduce and the step's totals) and their
 * share of the median step; tokens/s counts the world's tokens, MFU stays this worker's own.
 */
public final class TrainingBenchmark {
    private TrainingBenchmark() {
    }

    public static Map<String, Object> run(Qwen2Config config, String method, Function<Qwen2Model, Trainable> wrap,
                                          int batch, int seqLen, int steps, DoubleSupplier matmulPeak, String dtype) {
        return run(config, method, wrap, batch, seqLen, steps, matmulPeak, dtype, Collectives.SINGLE);
    }

    /** As above, for one worker of {@code world}; only rank 0 prints its steps. */
    public static Map<String, Object> run(Qwen2Config config, String method, Function<Qwen2Model, Trainable> wrap,
                                          int batch, int seqLen, int steps, DoubleSupplier matmulPeak, String dtype,
                                          Collectives world) {
        Engine.init();
        double peakBefore = matmulPeak.getAsDouble();
        Qwen2Model model = new Qwen2Model(Qwen2Weights.random(config, DType.FP32, 0.02, 3), DType.FP32);
        Trainable trainable = wrap.apply(model);
        List<SftExample> data = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < batch * world.worldSize() * (steps + 1); i++) {
            int[] ids = new int[seqLen];
            boolean[] t = new boolean[seqLen];
            for (int j = 0; j < seqLen; j++) {
                ids[j] = r.nextInt(config.vocabSize());
                t[j] = j > 0;
            }
            data.add(new SftExample(ids, t));
        }
        TrainSpec spec = new TrainSpec(null, null, method, null, DataFormat.auto(), false, true, seqLen, false, 1, 0,
                batch, 1, 1e-5, 0, 0, 0, 1.0, 0.9, 0.999, 1e-8, 1, 0, 1, dtype, 8, 16, 0, List.of(), false, 16,
                false, 512, 0);
        Trainer trainer = new Trainer(spec, trainable, data, System.err, world);
        AdamWOptimizer opt = new AdamWOptimizer(trainable.parameters(), trainable.noDecay(), 1e-5, 0.9, 0.999, 1e-8, 0);
        long w0 = System.nanoTime();
        trainer.step(0, opt);
        double warmup = (System.nanoTime() - w0) / 1e9;
        double[] times = new double[steps], collective = new double[steps];
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            collective[s] = trainer.step(s + 1, opt).collectiveSeconds();
            Engine.synchronize();                                  // a GPU's queued kernels belong to this step
            times[s] = (System.nanoTime() - t0) / 1e9;
            if (world.isRankZero()) {
                System.err.printf("  %s step %d: %.2f s (collectives %.3f s)%n", method, s + 1, times[s], collective[s]);
            }
        }
        double peakAfter = matmulPeak.getAsDouble(), peakFlops = Math.max(peakBefore, peakAfter);
        // a bf16 step's products run at the bf16 rate: its MFU against that peak too, measured after the steps
        double bf16Peak = spec.dtype().equals("bf16") ? MatmulPeak.bf16FlopsPerSecond() : 0;
        Arrays.sort(times);
        Arrays.sort(collective);
        double median = times[steps / 2];
        double flops = modelFlops(config, batch, seqLen, method.equals("full") ? 3 : 2);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("batch_size", batch);
        m.put("seq_len", seqLen);
        m.put("dtype", spec.dtype());
        m.put("steps_timed", steps);
        m.put("warmup_step_seconds", warmup);
        m.put("median_step_seconds", median);
        m.put("tokens_per_s", (double) batch * seqLen * world.worldSize() / median);
        m.put("world_size", world.worldSize());
        m.put("median_collective_seconds", collective[steps / 2]);
        m.put("collective_share", collective[steps / 2] / median);
        m.put("trainable_parameters", trainable.parameterCount());
        m.put("model_gflop_per_step", flops / 1e9);
        m.put("achieved_gflops", flops / median / 1e9);
        m.put("matmul_peak_gflops", peakFlops / 1e9);
        m.put("matmul_peak_gflops_before_after", List.of(peakBefore / 1e9, peakAfter / 1e9));
        m.put("mfu", flops / median / peakFlops);
        if (bf16Peak > 0) {
            m.put("bf16_matmul_peak_gflops", bf16Peak / 1e9);
            m.put("mfu_bf16", flops / median / bf16Peak);
        }
        m.put("peak_rss_bytes", PeakMemory.peakRssBytes());
        m.put("device", Engine.deviceName());
        if (Engine.onCuda()) m.put("gpu_peak_allocated_bytes", Engine.cudaPeakAllocatedBytes());
        m.put("threads", Engine.threads());
        return m;
    }

    /** Forward matmul FLOPs × multiplier: 2·tokens·(projection + lm_head weights) + 4·B·T²·heads·d·layers. */
    static double modelFlops(Qwen2Config c, int batch, int seqLen, int multiplier) {
        double h = c.hiddenSize(), q = c.numHeads() * (double) c.headDim(), kv = c.numKvHeads() * (double) c.headDim();
        double perLayer = h * q + 2 * h * kv + q * h + 3 * h * c.intermediateSize();
        double weights = c.numLayers() * perLayer + (double) c.vocabSize() * h;
        double tokens = (double) batch * seqLen;
        double attention = 4.0 * batch * seqLen * (double) seqLen * q * c.numLayers();
        return multiplier * (2 * tokens * weights + attention);
    }
}
