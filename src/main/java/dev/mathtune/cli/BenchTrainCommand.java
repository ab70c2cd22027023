package dev.mathtune.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.bench.MatmulPeak;
import dev.mathtune.bench.TrainingBenchmark;
import dev.mathtune.experiment.FineTuneMethod;
import dev.mathtune.experiment.TrainingRun;
import dev.mathtune.model.Presets;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.parallel.Collectives;
import dev.mathtune.parallel.GlooGroup;
import dev.mathtune.parallel.WorldEnv;

/**
 * {@code mathtune bench train}: one method's training-step throughput, MFU and peak RSS (in a child process);
 * with {@code --nproc-per-node N}, N data-parallel workers (each {@code --batch-size} rows, {@code --threads}
 * threads) and the share of the step spent in the gradient all-reduce.
 */
@Command(name = "train", description = "Training step tokens/s, model-FLOPs utilisation and peak RSS.")
final class BenchTrainCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Option(names = "--preset", defaultValue = "qwen2.5-0.5b")
    String preset;
    @Option(names = "--method", defaultValue = "full", description = "full, lora or prefix.")
    String method;
    @Option(names = "--batch-size", defaultValue = "1")
    int batch;
    @Option(names = "--seq-len", defaultValue = "512")
    int seqLen;
    @Option(names = "--steps", defaultValue = "3")
    int steps;
    @Option(names = "--lora-r", defaultValue = "8")
    int loraR;
    @Option(names = "--num-virtual-tokens", defaultValue = "16")
    int virtualTokens;
    @Option(names = "--nproc-per-node", defaultValue = "1", description = "Data-parallel workers on this machine.")
    int workers;
    @Option(names = "--dist-timeout", defaultValue = "300", description = "Seconds a worker waits for the others.")
    int distTimeout;
    @Option(names = "--json")
    boolean json;
    @Option(names = "--child", hidden = true)
    boolean child;

    @Override
    public Integer call() throws Exception {
        engine.apply();
        Qwen2Config c = Presets.get(preset);
        if (child) {
            WorldEnv env = WorldEnv.fromEnvironment(System.getenv());
            Collectives world = env == null ? Collectives.SINGLE : GlooGroup.join(env, Duration.ofSeconds(distTimeout));
            String dtype = TrainingRun.trainingDtype(engine.dtypeName, c, method, (long) batch * seqLen, world,
                    world.isRankZero() ? System.err : null);
            Map<String, Object> row = TrainingBenchmark.run(c, method,
                    m -> FineTuneMethod.forBenchmark(method, m, loraR, virtualTokens), batch, seqLen, steps,
                    MatmulPeak::fp32FlopsPerSecond, dtype, world);
            row.put("dtype_requested", engine.dtypeName);
            if (world.isRankZero()) JsonOut.print(row);
            return ExitCode.OK;
        }
        List<String> args = new ArrayList<>(List.of("bench", "train", "--child", "--preset", preset, "--method", method,
                "--batch-size", String.valueOf(batch), "--seq-len", String.valueOf(seqLen), "--steps", String.valueOf(steps),
                "--lora-r", String.valueOf(loraR), "--num-virtual-tokens", String.valueOf(virtualTokens),
                "--threads", String.valueOf(engine.threads), "--dtype", engine.dtypeName, "--device", engine.deviceName(),
                "--dist-timeout", String.valueOf(distTimeout)));
        Map<String, Object> row = workers > 1 ? ChildProcess.runWorkersJson(workers, args, Duration.ofSeconds(distTimeout))
                : ChildProcess.runJson(args.toArray(String[]::new));
        Map<String, Object> out = new LinkedHashMap<>(row);
        out.put("preset", preset);
        if (json) JsonOut.print(out);
        else System.err.printf("%s %dx%d %s: %.1f tok/s, %.2f s/step, MFU %.0f%% of %.0f GFLOPS, peak RSS %.2f GiB%n",
                method, batch, seqLen, row.get("dtype"), ((Number) row.get("tokens_per_s")).doubleValue(),
                ((Number) row.get("median_step_seconds")).doubleValue(), 100 * ((Number) row.get("mfu")).doubleValue(),
                ((Number) row.get("matmul_peak_gflops")).doubleValue(), ((Number) row.get("peak_rss_bytes")).doubleValue() / (1L << 30));
        if (!json && workers > 1) {
            System.err.printf("%d workers: all-reduce %.3f s of the %.2f s step (%.1f%%)%n", workers,
                    ((Number) row.get("median_collective_seconds")).doubleValue(),
                    ((Number) row.get("median_step_seconds")).doubleValue(), 100 * ((Number) row.get("collective_share")).doubleValue());
        }
        return ExitCode.OK;
    }
}
