package dev.mathtune.cli;

import picocli.CommandLine.Option;

import dev.mathtune.engine.Engine;

/** {@code --device}: where the model's tensors live, for every command that runs a model. */
public final class DeviceOptions {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "DEVICE",
            description = "cpu, cuda, cuda:N or auto (CUDA when this build and machine have it, else the CPU). "
                    + "Default: ${DEFAULT-VALUE}.")
    String device;

    /** Makes the chosen device the engine's (a CUDA device this build or machine lacks: exit code 2). */
    public void apply() {
        Engine.useDevice(device);
    }
}
