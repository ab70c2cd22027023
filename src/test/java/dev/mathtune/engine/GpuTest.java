package dev.mathtune.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mathtune.generate.Generator;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.SequenceRequest;
import dev.mathtune.generate.StopCondition;
import dev.mathtune.generate.TokenScorer;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.peft.LoraAdapter;
import dev.mathtune.peft.LoraConfig;
import dev.mathtune.peft.PrefixConfig;
import dev.mathtune.peft.PrefixTuning;
import dev.mathtune.testing.Golden;
import dev.mathtune.train.ResumeTest;

/**
 * The CUDA path against the CPU on the golden tiny checkpoints: fp32 log-probabilities within 1e-4, the same greedy
 * tokens, LoRA and prefix adapters, a training run killed and resumed on the GPU, and the SDPA backend libtorch
 * picks for the model's attention. Runs only on a CUDA build ({@code mvn -Pcuda test}) on a machine with a CUDA
 * device; elsewhere it is reported as skipped with the reason.
 */
@Tag("gpu")
@EnabledIf(value = "cudaPresent", disabledReason = "needs the CUDA build (mvn -Pcuda) and a CUDA device")
class GpuTest {
    private static final int[][] ROWS = {{5, 17, 99, 3, 250, 41, 7, 300, 12, 88}, {64, 2, 9, 400, 33, 71}};

    static boolean cudaPresent() {
        return Engine.cudaDevices() > 0;
    }

    @AfterEach
    void backToCpu() {
        Engine.useDevice("cpu");
    }

    /** {@code measure} on the CPU, then on cuda:0, each on a model loaded there. */
    private static <T> List<T> onBoth(String checkpoint, Function<Qwen2Model, T> measure) {
        List<T> out = new ArrayList<>();
        for (String device : new String[]{"cpu", "cuda"}) {
            Engine.useDevice(device);
            out.add(measure.apply(ModelLoader.load(Golden.dir(checkpoint), DType.FP32)));
        }
        return out;
    }

    private static double maxAbsDiff(Double[][] a, Double[][] b) {
        double m = 0;
        for (int r = 0; r < a.length; r++) {
            for (int i = 1; i < a[r].length; i++) {
                if (a[r][i] != null) m = Math.max(m, Math.abs(a[r][i] - b[r][i]));
            }
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-tied", "tiny-untied-kv1", "tiny-kv7"})
    void logProbabilitiesMatchTheCpu(String checkpoint) {
        List<Double[][]> lp = onBoth(checkpoint, m -> new TokenScorer(m).score(ROWS));
        double d = maxAbsDiff(lp.get(0), lp.get(1));
        assertTrue(d <= 1e-4, checkpoint + ": max |Δ log p| CPU vs CUDA " + d);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-tied", "tiny-untied-kv1", "tiny-kv7"})
    void greedyTokensMatchTheCpu(String checkpoint) {
        List<Map<Integer, int[]>> tokens = onBoth(checkpoint, m -> {
            Map<Integer, int[]> out = new TreeMap<>();
            List<SequenceRequest> reqs = List.of(new SequenceRequest(0, ROWS[0], SamplingParams.greedy(32)),
                    new SequenceRequest(1, ROWS[1], SamplingParams.greedy(32)));
            new Generator(m, 2, true, new StopCondition(Set.of(), null), null).run(reqs, r -> out.put(r.index(), r.tokens()));
            return out;
        });
        for (int i = 0; i < ROWS.length; i++) assertArrayEquals(tokens.get(0).get(i), tokens.get(1).get(i), "row " + i);
    }

    @Test
    void loraAndPrefixAdaptersMatchTheCpu() {
        List<Double[][]> lora = onBoth("tiny-tied", m -> {
            LoraAdapter a = LoraAdapter.create(m, new LoraConfig(4, 8, 0, LoraConfig.ALL_TARGETS, false, 3));
            try (NoGradGuard ng = new NoGradGuard()) {
                Engine.seed(11);                          // B = 0 at creation: give it seeded values, the same on both
                for (Map.Entry<String, Tensor> e : new TreeMap<>(a.parameters()).entrySet()) {
                    if (e.getKey().contains("lora_B")) e.getValue().copy_(Tensors.randn(Tensors.shape(e.getValue())).mul(Tensors.scalar(0.05)));
                }
            }
            return new TokenScorer(a.model()).score(ROWS);
        });
        assertTrue(maxAbsDiff(lora.get(0), lora.get(1)) <= 1e-4, "LoRA: " + maxAbsDiff(lora.get(0), lora.get(1)));
        List<Double[][]> prefix = onBoth("tiny-tied", m -> {
            PrefixTuning p = PrefixTuning.create(m, new PrefixConfig(6, true, 32, 3));
            return new TokenScorer(m).score(ROWS, p.trainingPrefix(ROWS.length), p.prefixLength());
        });
        assertTrue(maxAbsDiff(prefix.get(0), prefix.get(1)) <= 1e-4, "prefix: " + maxAbsDiff(prefix.get(0), prefix.get(1)));
    }

    @Test
    void killedTrainingRunResumesOnTheGpu(@TempDir Path tmp) throws Exception {
        ResumeTest.killAndResume(tmp, "--device", "cuda");
    }

    /**
     * Which kernel {@code scaled_dot_product_attention} runs for the model's training attention (bf16, additive
     * mask, K/V expanded to every head): libtorch's own choice ({@code aten::_fused_sdp_choice}), printed; with a
     * mask flash attention is not eligible, so the memory-efficient kernel (or cuDNN's) is expected, not the math
     * fallback.
     */
    @Test
    void attentionGetsAFusedKernel() {
        Engine.useDevice("cuda");
        try (Scope s = Scope.open()) {
            Tensor q = Tensors.randn(2, 14, 64, 64).to(DType.BF16.scalarType());
            Tensor k = Tensors.randn(2, 14, 64, 64).to(DType.BF16.scalarType());
            Tensor mask = Tensors.zeros(DType.BF16, 2, 1, 64, 64);
            long choice = Operators.call("aten::_fused_sdp_choice", new IValue(q), new IValue(k), new IValue(k),
                    new IValue(mask), new IValue(0.0), new IValue(false), new IValue(), new IValue(false)).get(0).toInt();
            String[] names = {"math", "flash_attention", "efficient_attention", "cudnn_attention", "overrideable"};
            String name = choice >= 0 && choice < names.length ? names[(int) choice] : "error";
            System.out.println("GpuTest: SDPA backend for bf16 attention with a mask: " + name);
            assertTrue(choice > 0, "a fused kernel, not " + name);
        }
    }
}
