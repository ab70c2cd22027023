package dev.mathtune.experiment;

import dev.mathtune.UserError;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.train.FullFineTune;
import dev.mathtune.train.TrainSpec;
import dev.mathtune.train.Trainable;

/** Builds the {@link Trainable} of a method: full fine-tuning, LoRA or prefix-tuning. */
final class FineTuneMethod {
    private FineTuneMethod() {
    }

    static Trainable create(TrainSpec spec, ModelBundle base) {
        return switch (spec.method()) {
            case "full" -> new FullFineTune(base.model(), base.dir(), TrainingRun.saveDtype(base));
            default -> throw new UserError("--method " + spec.method() + ": not available in this build");
        };
    }
}
