package dev.mathtune.cli;

import java.nio.file.Path;

import picocli.CommandLine.Option;

import dev.mathtune.engine.DType;
import dev.mathtune.generate.EmbeddedGenerator;
import dev.mathtune.generate.ModelBundle;

/** {@code --model DIR [--adapter DIR]}: an embedded model, optionally with a LoRA or prefix adapter. */
public final class ModelOptions {
    @Option(names = "--model", required = true, description = "Checkpoint directory (HF layout).")
    Path model;

    @Option(names = "--adapter", description = "PEFT adapter directory (LoRA or prefix-tuning).")
    Path adapter;

    AdapterWiring load(DType dtype) {
        return AdapterWiring.load(ModelBundle.load(model, dtype), adapter);
    }

    EmbeddedGenerator generator(DType dtype, int batchSize) {
        AdapterWiring w = load(dtype);
        return w.model().generator(batchSize, w.prefix());
    }
}
