package dev.mathtune.cli;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.train.FullFineTune;
import dev.mathtune.train.Trainable;

/** The trainable of a method for benchmarks (random base, nothing saved). */
final class BenchMethods {
    private BenchMethods() {
    }

    static Trainable wrap(String method, Qwen2Model m, int loraR, int virtualTokens) {
        return switch (method) {
            case "full" -> new FullFineTune(m, null, DType.FP32);
            default -> throw new UserError("--method " + method + ": not available in this build");
        };
    }
}
