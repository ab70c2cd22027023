package dev.mathtune.cli;

import dev.mathtune.experiment.HubDatasetPath;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import dev.mathtune.UserError;
import dev.mathtune.experiment.TrainingRun;
import dev.mathtune.parallel.Collectives;
import dev.mathtune.parallel.GlooGroup;
import dev.mathtune.parallel.WorkerLostException;
import dev.mathtune.parallel.WorldEnv;
import dev.mathtune.train.DataFormat;
import dev.mathtune.train.TrainResult;
import dev.mathtune.train.TrainSpec;
import dev.mathtune.train.Trainer;

/**
 * {@code mathtune train}: full fine-tuning, LoRA or prefix-tuning on a JSONL file. Every option can also come
 * from {@code --config recipe.yaml} (same names without dashes; flags on the command line win). Data-parallel:
 * {@code --nproc-per-node N} starts N local workers; a worker started by another launcher (torchrun style) finds
 * its place in {@code RANK}, {@code WORLD_SIZE}, {@code MASTER_ADDR} and {@code MASTER_PORT}.
 */
@Command(name = "train", description = "Fine-tune a model (full, lora or prefix) on prompt/response JSONL.")
public final class TrainCommand implements Callable<Integer> {
    @Spec
    CommandSpec command;
    @Mixin
    EngineOptions engine;
    @Option(names = "--nproc-per-node", defaultValue = "1",
            description = "Start N data-parallel workers on this machine (--batch-size is per worker).")
    int nprocPerNode;
    @Option(names = "--dist-timeout", defaultValue = "300",
            description = "Seconds a data-parallel worker waits for the others (rendezvous, each collective).")
    int distTimeout;
    @Option(names = "--config", description = "YAML file with any of these options (e.g. lora-r: 16).")
    Path config;
    @Option(names = "--model", description = "Base checkpoint directory (HF layout).")
    Path model;
    @Option(names = "--data", description = "Training data: JSONL, JSON or Parquet; a file, a glob or hf://datasets/OWNER/NAME/PATH.")
    Path data;
    @Option(names = "--method", defaultValue = "full", description = "full, lora or prefix.")
    String method;
    @Option(names = "--out", description = "Run directory (final/, checkpoint/, metrics.jsonl, loss.png).")
    Path out;
    @Option(names = "--resume", description = "Continue from OUT/checkpoint.")
    boolean resume;
    @Option(names = "--prompt-field", description = "Field with the prompt (default: auto-detect).")
    String promptField;
    @Option(names = "--response-field", description = "Field with the response (default: auto-detect).")
    String responseField;
    @Option(names = "--chat", description = "Render prompts with the chat template.")
    boolean chat;
    @Option(names = "--train-on-prompt", description = "Also compute the loss on prompt tokens.")
    boolean trainOnPrompt;
    @Option(names = "--max-length", defaultValue = "1024")
    int maxLength;
    @Option(names = "--packing", description = "Pack several examples per row (block-diagonal attention).")
    boolean packing;
    @Option(names = "--epochs", defaultValue = "1")
    int epochs;
    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after N optimizer steps (0: all epochs).")
    int maxSteps;
    @Option(names = "--batch-size", defaultValue = "4")
    int batchSize;
    @Option(names = "--grad-accum", defaultValue = "1")
    int gradAccum;
    @Option(names = "--lr", defaultValue = "2e-5")
    double lr;
    @Option(names = "--warmup-ratio", defaultValue = "0.03")
    double warmupRatio;
    @Option(names = "--min-lr-ratio", defaultValue = "0.0")
    double minLrRatio;
    @Option(names = "--weight-decay", defaultValue = "0.0")
    double weightDecay;
    @Option(names = "--max-grad-norm", defaultValue = "1.0")
    double maxGradNorm;
    @Option(names = "--adam-beta1", defaultValue = "0.9")
    double beta1;
    @Option(names = "--adam-beta2", defaultValue = "0.999")
    double beta2;
    @Option(names = "--adam-eps", defaultValue = "1e-8")
    double eps;
    @Option(names = "--seed", defaultValue = "42")
    long seed;
    @Option(names = "--checkpoint-every", defaultValue = "100", description = "Optimizer steps between checkpoints.")
    int checkpointEvery;
    @Option(names = "--log-every", defaultValue = "1")
    int logEvery;
    @Option(names = "--lora-r", defaultValue = "16")
    int loraR;
    @Option(names = "--lora-alpha", defaultValue = "32")
    double loraAlpha;
    @Option(names = "--lora-dropout", defaultValue = "0.05")
    double loraDropout;
    @Option(names = "--lora-targets", split = ",", defaultValue = "q,k,v,o,gate,up,down")
    List<String> loraTargets;
    @Option(names = "--use-rslora")
    boolean useRsLora;
    @Option(names = "--num-virtual-tokens", defaultValue = "16")
    int numVirtualTokens;
    @Option(names = "--prefix-projection")
    boolean prefixProjection;
    @Option(names = "--encoder-hidden-size", defaultValue = "512")
    int encoderHiddenSize;
    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N examples.")
    int limit;

    TrainSpec spec() {
        if (model == null || data == null || out == null) {
            throw new dev.mathtune.UserError("train needs --model, --data and --out (on the command line or in --config)");
        }
        return new TrainSpec(model, HubDatasetPath.resolve(data), method.toLowerCase(Locale.ROOT), out,
                new DataFormat(promptField, responseField == null && promptField != null ? null : responseField),
                chat, trainOnPrompt, maxLength, packing, epochs, maxSteps, batchSize, gradAccum, lr, warmupRatio,
                minLrRatio, weightDecay, maxGradNorm, beta1, beta2, eps, seed, checkpointEvery, logEvery,
                engine.dtypeName, loraR, loraAlpha, loraDropout, loraTargets, useRsLora, numVirtualTokens,
                prefixProjection, encoderHiddenSize, limit);
    }

    @Override
    public Integer call() throws Exception {
        TrainSpec spec = spec();
        WorldEnv worldEnv = WorldEnv.fromEnvironment(System.getenv());
        if (nprocPerNode < 1) throw new UserError("--nproc-per-node: must be >= 1, got " + nprocPerNode);
        if (distTimeout < 1) throw new UserError("--dist-timeout: must be >= 1 second, got " + distTimeout);
        if (nprocPerNode > 1) {
            if (worldEnv != null) {
                throw new UserError("--nproc-per-node " + nprocPerNode + " starts its own workers, but this process is "
                        + "already one of " + worldEnv.worldSize() + " (WORLD_SIZE): drop one of the two");
            }
            return LocalLauncher.run(nprocPerNode, workerArgs(), Duration.ofSeconds(distTimeout), System.err);
        }
        engine.apply();
        try {
            Collectives world = worldEnv == null ? Collectives.SINGLE : GlooGroup.join(worldEnv, Duration.ofSeconds(distTimeout));
            PrintStream progress = world.isRankZero() ? System.err : new PrintStream(OutputStream.nullOutputStream());
            TrainResult r = TrainingRun.run(spec, resume, progress, world);
            if (!world.isRankZero()) return ExitCode.OK;
            System.err.printf(Locale.ROOT, "done: %d steps in %s, final loss %.4f, peak RSS %.2f GiB%n",
                    r.steps(), Trainer.duration(r.seconds()), r.finalLoss(), r.peakRssBytes() / (double) (1L << 30));
            System.out.println(r.artifact());
            return ExitCode.OK;
        } catch (Trainer.NonFiniteLossException | WorkerLostException e) {
            System.err.println("mathtune: " + e.getMessage());
            return ExitCode.FAILED;
        }
    }

    /** This command's arguments for a worker: the same, with {@code --nproc-per-node 1} (which beats a recipe's). */
    private List<String> workerArgs() {
        List<String> out = new ArrayList<>(List.of("train"));
        List<String> given = command.commandLine().getParseResult().originalArgs();
        for (int i = 0; i < given.size(); i++) {
            String a = given.get(i);
            if (a.equals("train") && i == 0) continue;
            if (a.equals("--nproc-per-node")) i++;
            else if (!a.startsWith("--nproc-per-node=")) out.add(a);
        }
        out.addAll(List.of("--nproc-per-node", "1"));
        return out;
    }
}
