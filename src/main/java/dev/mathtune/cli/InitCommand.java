package dev.mathtune.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.model.CheckpointInit;
import dev.mathtune.model.Presets;
import dev.mathtune.model.Qwen2Config;

/** {@code mathtune init}: a checkpoint directory with random weights at a preset shape. */
@Command(name = "init", description = "Write a random-weight checkpoint (HF layout) for a preset shape.")
public final class InitCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Option(names = "--preset", required = true, description = "tiny, qwen2.5-0.5b, qwen2.5-1.5b or qwen2.5-math-1.5b.")
    String preset;
    @Option(names = "--out", required = true)
    Path out;
    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        engine.apply();
        Qwen2Config shape = Presets.get(preset);
        Qwen2Config c = CheckpointInit.write(shape, out, engine.dtype(), seed, preset.equals("tiny"));
        System.err.printf("wrote %s: %s shape, %,d parameters%s%n", out, preset, c.parameterCount(),
                preset.equals("tiny") ? ", with its own byte-level BPE tokenizer" : " (no tokenizer: copy Qwen's tokenizer.json beside it)");
        return ExitCode.OK;
    }
}
