package dev.mathtune.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a training run needs, as validated values. Built by {@code mathtune train} from flags or a YAML
 * recipe, and recorded in the run directory so that {@code --resume} continues the same run.
 *
 * @param method        {@code full}, {@code lora} or {@code prefix}
 * @param dataFormat    which fields hold prompt and response (see {@link DataFormat})
 * @param chat          render prompts with the tokenizer's chat template
 * @param trainOnPrompt compute the loss on prompt tokens too (default: response and EOS only)
 * @param checkpointEvery save a resumable checkpoint every N optimizer steps (0: only at the end)
 * @param maxSteps      stop after this many optimizer steps (0: run all epochs)
 */
public record TrainSpec(Path model, Path data, String method, Path out, DataFormat dataFormat, boolean chat,
                        boolean trainOnPrompt, int maxLength, boolean packing, int epochs, int maxSteps,
                        int batchSize, int gradAccum, double lr, double warmupRatio, double minLrRatio,
                        double weightDecay, double maxGradNorm, double adamBeta1, double adamBeta2, double adamEps,
                        long seed, int checkpointEvery, int logEvery, String dtype,
                        int loraR, double loraAlpha, double loraDropout, List<String> loraTargets, boolean useRsLora,
                        int numVirtualTokens, boolean prefixProjection, int encoderHiddenSize, int limit) {

    public TrainSpec {
        loraTargets = List.copyOf(loraTargets);
        dtype = canonicalDtype(dtype);
        require(List.of("full", "lora", "prefix").contains(method), "method", "must be full, lora or prefix, got '" + method + "'");
        require(epochs >= 1 || maxSteps > 0, "epochs", "must be >= 1");
        require(batchSize >= 1, "batch-size", "must be >= 1");
        require(gradAccum >= 1, "grad-accum", "must be >= 1");
        require(lr > 0, "lr", "must be > 0");
        require(warmupRatio >= 0 && warmupRatio < 1, "warmup-ratio", "must be in [0, 1)");
        require(maxLength >= 8, "max-length", "must be >= 8");
        require(loraR >= 1, "lora-r", "must be >= 1");
        require(List.of("fp32", "bf16", "auto").contains(dtype), "dtype",
                "training computes in fp32 or bf16 (autocast over fp32 master weights), or auto, got '" + dtype + "'");
        require(numVirtualTokens >= 1, "num-virtual-tokens", "must be >= 1");
    }

    /** {@code fp32}, {@code bf16} or {@code auto} for any accepted spelling (null: the default, {@code auto}). */
    public static String canonicalDtype(String name) {
        if (name == null) name = dev.mathtune.model.AutoDType.defaultName();
        if (name.equalsIgnoreCase("auto")) return "auto";
        try {
            return switch (dev.mathtune.engine.DType.parse(name)) {
                case FP32 -> "fp32";
                case BF16 -> "bf16";
                default -> name;
            };
        } catch (IllegalArgumentException e) {
            throw new dev.mathtune.UserError("--dtype: " + e.getMessage());
        }
    }

    private static void require(boolean ok, String field, String problem) {
        if (!ok) throw new dev.mathtune.UserError("--" + field + ": " + problem);
    }

    /** The same run computing in {@code dtype} (an {@code auto} spec once its dtype is chosen). */
    public TrainSpec withDtype(String dtype) {
        return new TrainSpec(model, data, method, out, dataFormat, chat, trainOnPrompt, maxLength, packing, epochs,
                maxSteps, batchSize, gradAccum, lr, warmupRatio, minLrRatio, weightDecay, maxGradNorm, adamBeta1,
                adamBeta2, adamEps, seed, checkpointEvery, logEvery, dtype, loraR, loraAlpha, loraDropout, loraTargets,
                useRsLora, numVirtualTokens, prefixProjection, encoderHiddenSize, limit);
    }

    /** Examples per optimizer step. */
    public int globalBatch() {
        return batchSize * gradAccum;
    }
}
