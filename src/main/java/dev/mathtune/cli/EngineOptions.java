package dev.mathtune.cli;

import java.nio.file.Path;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.model.AutoDType;
import dev.mathtune.model.DTypeProbe;
import dev.mathtune.model.Qwen2Config;

/** Options shared by every command that runs the engine: threads, device, compute dtype, verbosity. */
public final class EngineOptions {
    @Mixin
    DeviceOptions device;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = all cores).")
    int threads;

    @Option(names = "--dtype", defaultValue = "${env:MATHTUNE_DTYPE:-auto}", description = "Compute dtype: auto (bf16"
            + " where this machine runs the model's products faster in it, else fp32; measured once and cached), fp32"
            + " or bf16. Default: $MATHTUNE_DTYPE, else auto.")
    String dtypeName;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    /** Loads libtorch with the chosen thread count and device. */
    public void apply() {
        Engine.init(threads);
        device.apply();
    }

    /** The {@code --device} as given (children of a benchmark get the same). */
    String deviceName() {
        return device.device;
    }

    /**
     * The dtype where no measurement applies ({@code init}'s stored weights, {@code score}'s exact log-probs):
     * {@code auto} means fp32 there.
     */
    public DType dtype() {
        return AutoDType.isAuto(dtypeName) ? DType.FP32 : AutoDType.resolve(dtypeName, null, null, 0, null);
    }

    /** The dtype to evaluate in: fp32 under {@code auto} ({@link AutoDType#forEvaluation}). */
    public DType evaluationDtype() {
        return AutoDType.forEvaluation(dtypeName, System.err);
    }

    /** The dtype to run the model in {@code modelDir} for decoding {@code batchSize} sequences together. */
    public DType inferenceDtype(Path modelDir, int batchSize) {
        if (!AutoDType.isAuto(dtypeName)) return dtype();
        return AutoDType.resolve(dtypeName, Qwen2Config.load(modelDir), DTypeProbe.Workload.INFERENCE, batchSize,
                System.err);
    }
}
