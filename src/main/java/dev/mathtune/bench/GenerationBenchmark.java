package dev.mathtune.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.LinkedHashMap;
import java.util.Set;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.generate.Generator;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.SequenceRequest;
import dev.mathtune.generate.StopCondition;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.model.Qwen2Weights;

/**
 * Greedy decoding throughput at a model shape with random weights, measured like {@code bench_cpu.py gen}:
 * random prompts of {@code promptLen} tokens, {@code newTokens} greedy tokens each (no EOS), one warm-up run;
 * decode tokens/s = batch × (newTokens − 1) / decode seconds, where decode time is total minus the prefill.
 * The read bandwidth ({@link MemoryBandwidth}, over a tensor four times the largest cache) is measured in the same
 * process just before the model is built and again right after decoding (peak RSS is read before that second
 * pass), because this VM's bandwidth drifts by ±15 % within minutes; the batch-1 bound (weights bytes ÷ bandwidth)
 * uses the highest of the six readings ({@code sum()}, sgemv and XNNPACK, before and after), so the fraction of it
 * reported is the conservative one. Batch 1 also reports its fraction of the sgemv bound (weights bytes ÷ the higher
 * sgemv reading): the rate OpenBLAS's matrix-vector kernel, which decoded batch 1 before XNNPACK, would allow.
 */
public final class GenerationBenchmark {
    private GenerationBenchmark() {
    }

    public static Map<String, Object> run(Qwen2Config config, DType dtype, int batch, int promptLen, int newTokens,
                                          long seed) {
        Engine.init();
        MemoryBandwidth.Reading before = MemoryBandwidth.measure();
        long t0 = System.nanoTime();
        Qwen2Model model = new Qwen2Model(Qwen2Weights.random(config, dtype, 0.02, seed), dtype);
        double initS = (System.nanoTime() - t0) / 1e9;
        List<SequenceRequest> reqs = prompts(config, batch, promptLen, newTokens, seed);
        Generator gen = new Generator(model, batch, true, new StopCondition(Set.of(), null), null);
        // warm-up (and a prefill-only run to split prefill from decode time)
        gen.run(prompts(config, batch, promptLen, 2, seed + 1), r -> { });
        long p0 = System.nanoTime();
        gen.run(prompts(config, batch, promptLen, 1, seed + 2), r -> { });
        double prefillS = (System.nanoTime() - p0) / 1e9;
        long g0 = System.nanoTime();
        gen.run(reqs, r -> { });
        double totalS = (System.nanoTime() - g0) / 1e9;
        double decodeS = Math.max(1e-9, totalS - prefillS);
        long peakRss = PeakMemory.peakRssBytes();
        MemoryBandwidth.Reading after = MemoryBandwidth.measure();
        long weightBytes = config.parameterCount() * dtype.bytes();
        double bound = Math.max(before.best(), after.best()) / weightBytes;   // batch-1 tokens/s
        double sgemvBound = Math.max(before.matrixVectorBytesPerSecond(), after.matrixVectorBytesPerSecond())
                / weightBytes;
        double decodeRate = batch * (newTokens - 1) / decodeS;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("batch_size", batch);
        m.put("prompt_len", promptLen);
        m.put("new_tokens", newTokens);
        m.put("dtype", dtype.name().toLowerCase());
        m.put("threads", Engine.threads());
        m.put("decode_tokens_per_s", decodeRate);
        m.put("ms_per_decode_step", 1000 * decodeS / (newTokens - 1));
        m.put("prefill_tokens_per_s", batch * promptLen / prefillS);
        m.put("end_to_end_new_tokens_per_s", batch * newTokens / totalS);
        m.put("weights_bytes", weightBytes);
        m.put("read_bandwidth_gb_per_s_before_after",
                List.of(before.sumBytesPerSecond() / 1e9, after.sumBytesPerSecond() / 1e9));
        m.put("sgemv_bandwidth_gb_per_s_before_after",
                List.of(before.matrixVectorBytesPerSecond() / 1e9, after.matrixVectorBytesPerSecond() / 1e9));
        m.put("xnnpack_bandwidth_gb_per_s_before_after",
                List.of(before.xnnpackBytesPerSecond() / 1e9, after.xnnpackBytesPerSecond() / 1e9));
        m.put("bandwidth_bound_batch1_tokens_per_s", bound);
        m.put("sgemv_bound_batch1_tokens_per_s", sgemvBound);
        if (batch == 1) {
            m.put("fraction_of_bandwidth_bound", decodeRate / bound);
            m.put("fraction_of_sgemv_bound", decodeRate / sgemvBound);
        }
        m.put("peak_rss_bytes", peakRss);
        m.put("device", Engine.deviceName());
        if (Engine.onCuda()) m.put("gpu_peak_allocated_bytes", Engine.cudaPeakAllocatedBytes());
        m.put("init_seconds", initS);
        return m;
    }

    private static List<SequenceRequest> prompts(Qwen2Config c, int batch, int len, int newTokens, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<SequenceRequest> out = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            int[] p = new int[len];
            for (int j = 0; j < len; j++) p[j] = r.nextInt(c.vocabSize());
            out.add(new SequenceRequest(i, p, SamplingParams.greedy(newTokens)));
        }
        return out;
    }
}
