package dev.mathtune.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;

/** Options shared by every command that runs the engine: threads, device, compute dtype, verbosity. */
public final class EngineOptions {
    @Mixin
    DeviceOptions device;

    @Option(names = "--threads", defaultValue = "0", description = "Intra-op threads (0 = all cores).")
    int threads;

    @Option(names = "--dtype", defaultValue = "fp32", description = "Compute dtype: fp32 or bf16.")
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

    public DType dtype() {
        try {
            return DType.parse(dtypeName);
        } catch (IllegalArgumentException e) {
            throw new dev.mathtune.UserError("--dtype: " + e.getMessage());
        }
    }
}
