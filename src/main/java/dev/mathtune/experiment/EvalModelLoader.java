package dev.mathtune.experiment;

import java.nio.file.Path;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.generate.TextGenerator;

/**
 * Opens the embedded generator that evaluates a run: the base model as is ({@code none}), the fully
 * fine-tuned checkpoint ({@code full}, {@code artifact} is an HF folder), or the base model with the run's
 * adapter ({@code lora}, {@code prefix}; {@code artifact} is a PEFT adapter folder). The command line passes
 * one that knows the adapters of the build; {@link #fullOnly()} knows none.
 */
@FunctionalInterface
public interface EvalModelLoader {
    TextGenerator open(Path baseModel, String method, Path artifact, DType dtype, int batchSize);

    /** Base models and full fine-tunes only; an adapter is a {@link UserError}. */
    static EvalModelLoader fullOnly() {
        return (base, method, artifact, dtype, batch) -> switch (method) {
            case "none" -> ModelBundle.load(base, dtype).generator(batch, null);
            case "full" -> ModelBundle.load(artifact, dtype).generator(batch, null);
            default -> throw new UserError("evaluating a " + method + " adapter is not available in this build");
        };
    }
}
