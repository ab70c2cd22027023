package dev.mathtune.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.bench.GenerationBenchmark;
import dev.mathtune.engine.DType;
import dev.mathtune.model.AutoDType;
import dev.mathtune.model.DTypeProbe;
import dev.mathtune.model.Presets;

/** {@code mathtune bench generate|train}: throughput and memory at a model shape with random weights. */
@Command(name = "bench", description = "Benchmarks at a preset model shape with random weights.",
        subcommands = {BenchCommand.Generate.class, BenchTrainCommand.class, BenchCommand.Dtype.class})
public final class BenchCommand {

    /** {@code bench dtype}: what {@code --dtype auto} chooses at a model shape, and the product times behind it. */
    @Command(name = "dtype", description = "fp32 and bf16 product times at a model shape and what --dtype auto picks.")
    static final class Dtype implements Callable<Integer> {
        @Mixin
        EngineOptions engine;
        @Option(names = "--preset", defaultValue = "qwen2.5-0.5b", description = "Model shape (see bench generate).")
        String preset;
        @Option(names = "--workload", split = ",", defaultValue = "inference,full,frozen",
                description = "inference, full (fine-tuning) and/or frozen (LoRA, prefix), comma separated.")
        List<String> workloads;
        @Option(names = "--rows", split = ",", defaultValue = "1,16,64,512", description = "Token rows per step.")
        List<Long> rows;
        @Option(names = "--refresh", description = "Measure again, replacing the cached measurements.")
        boolean refresh;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Option(names = "--child", hidden = true)
        boolean child;

        @Override
        public Integer call() throws Exception {
            engine.apply();
            List<Map<String, Object>> out = new ArrayList<>();
            for (String w : workloads) {
                DTypeProbe.Workload workload = switch (w.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "inference" -> DTypeProbe.Workload.INFERENCE;
                    case "full" -> DTypeProbe.Workload.TRAIN_FULL;
                    case "frozen", "lora", "prefix" -> DTypeProbe.Workload.TRAIN_FROZEN;
                    default -> throw new dev.mathtune.UserError("--workload: '" + w + "' is not inference, full or frozen");
                };
                if (workload == DTypeProbe.Workload.INFERENCE && !child) {
                    // measured as the decoding commands measure it: in a process with their OpenMP wait policy
                    // (with workers that sleep between regions, the whole-step probe tried in the eleventh session
                    // measured bf16's one-row step at 57.8 ms against fp32's 48.3; with spinning ones bf16 decodes
                    // faster), and cached
                    // under that policy's key, where those commands look
                    List<String> args = new ArrayList<>(List.of("bench", "dtype", "--child", "--json", "--preset", preset,
                            "--workload", "inference", "--device", engine.deviceName(), "--threads",
                            String.valueOf(engine.threads), "--rows",
                            String.join(",", rows.stream().map(String::valueOf).toList())));
                    if (refresh) args.add("--refresh");
                    out.addAll(ChildProcess.runJsonList(ChildProcess.DECODING_OPENMP, args.toArray(String[]::new)));
                    continue;
                }
                for (long r : rows) {
                    AutoDType.Choice c = refresh ? AutoDType.measure(Presets.get(preset), workload, r)
                            : AutoDType.choose(Presets.get(preset), workload, r);
                    System.err.println(c.reason());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("workload", workload.name().toLowerCase(java.util.Locale.ROOT));
                    row.put("rows", r);
                    row.put("choice", c.dtype().name().toLowerCase(java.util.Locale.ROOT));
                    row.put("fp32_seconds", c.timing().fp32Seconds());
                    row.put("bf16_seconds", c.timing().bf16Seconds());
                    row.put("reason", c.reason());
                    out.add(row);
                }
            }
            if (json) JsonOut.print(out);
            return ExitCode.OK;
        }
    }

    @Command(name = "generate", description = "Greedy decoding tokens/s and peak RSS per batch size (each in a child process).")
    static final class Generate implements Callable<Integer> {
        @Mixin
        EngineOptions engine;
        @Option(names = "--preset", defaultValue = "qwen2.5-0.5b", description = "Model shape: tiny, qwen2.5-0.5b, qwen2.5-1.5b, qwen2.5-math-1.5b.")
        String preset;
        @Option(names = "--batch-size", split = ",", defaultValue = "1,16", description = "Batch sizes, comma separated.")
        List<Integer> batchSizes;
        @Option(names = "--prompt-len", defaultValue = "128")
        int promptLen;
        @Option(names = "--new-tokens", defaultValue = "128")
        int newTokens;
        @Option(names = "--json", description = "Print JSON.")
        boolean json;
        @Option(names = "--child", hidden = true)
        boolean child;

        @Override
        public Integer call() throws Exception {
            engine.apply();
            if (child) {
                DType dtype = AutoDType.resolve(engine.dtypeName, Presets.get(preset), DTypeProbe.Workload.INFERENCE,
                        batchSizes.get(0), System.err);
                JsonOut.print(GenerationBenchmark.run(Presets.get(preset), dtype, batchSizes.get(0), promptLen, newTokens, 7));
                return ExitCode.OK;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int b : batchSizes) {
                Map<String, Object> row = ChildProcess.runJson("bench", "generate", "--child", "--preset", preset,
                        "--batch-size", String.valueOf(b), "--prompt-len", String.valueOf(promptLen),
                        "--new-tokens", String.valueOf(newTokens), "--dtype", engine.dtypeName,
                        "--device", engine.deviceName(), "--threads", String.valueOf(engine.threads));
                rows.add(row);
                System.err.printf("batch %3d (%s): %.1f decode tok/s, %.0f ms/step, prefill %.0f tok/s, peak RSS %.2f GiB%s%n",
                        b, row.get("dtype"), num(row, "decode_tokens_per_s"), num(row, "ms_per_decode_step"),
                        num(row, "prefill_tokens_per_s"), num(row, "peak_rss_bytes") / (1L << 30),
                        b == 1 ? String.format("; %.0f%% of the bandwidth bound (%.1f tok/s), %.0f%% of the sgemv bound (%.1f tok/s)",
                                100 * num(row, "fraction_of_bandwidth_bound"), num(row, "bandwidth_bound_batch1_tokens_per_s"),
                                100 * num(row, "fraction_of_sgemv_bound"), num(row, "sgemv_bound_batch1_tokens_per_s")) : "");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("preset", preset);
            out.put("runs", rows);
            if (json) JsonOut.print(out);
            return ExitCode.OK;
        }

        private static double num(Map<String, Object> m, String k) {
            return ((Number) m.get(k)).doubleValue();
        }
    }
}
