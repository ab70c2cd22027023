package dev.mathtune.experiment;

import java.util.ArrayList;
import java.util.List;

import dev.mathtune.UserError;
import dev.mathtune.generate.ModelBundle;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.peft.LoraAdapter;
import dev.mathtune.peft.LoraConfig;
import dev.mathtune.peft.PrefixConfig;
import dev.mathtune.peft.PrefixTuning;
import dev.mathtune.train.FullFineTune;
import dev.mathtune.train.TrainSpec;
import dev.mathtune.train.Trainable;

/** Builds the {@link Trainable} of a method: full fine-tuning, LoRA or prefix-tuning. */
public final class FineTuneMethod {
    private FineTuneMethod() {
    }

    static Trainable create(TrainSpec spec, ModelBundle base) {
        String name = base.dir().toAbsolutePath().normalize().toString();
        return switch (spec.method()) {
            case "full" -> new FullFineTune(base.model(), base.dir(), TrainingRun.saveDtype(base));
            case "lora" -> LoraAdapter.create(base.model(), lora(spec), name);
            case "prefix" -> {
                if (spec.packing()) throw new UserError("--packing is not supported with --method prefix");
                yield PrefixTuning.create(base.model(), new PrefixConfig(spec.numVirtualTokens(),
                        spec.prefixProjection(), spec.encoderHiddenSize(), spec.seed()), name);
            }
            default -> throw new UserError("--method: unknown method '" + spec.method() + "'");
        };
    }

    /** A method's trainable on a bare model (benchmarks): LoRA r / prefix P as given, other settings default. */
    public static Trainable forBenchmark(String method, Qwen2Model model, int loraR, int virtualTokens) {
        return switch (method) {
            case "full" -> new FullFineTune(model, null, dev.mathtune.engine.DType.FP32);
            case "lora" -> LoraAdapter.create(model, new LoraConfig(loraR, 2.0 * loraR, 0.0, LoraConfig.ALL_TARGETS, false, 0));
            case "prefix" -> PrefixTuning.create(model, PrefixConfig.of(virtualTokens));
            default -> throw new UserError("--method: unknown method '" + method + "'");
        };
    }

    /** LoRA settings of a spec; short target names ({@code q}, {@code gate}) mean {@code q_proj}, {@code gate_proj}. */
    static LoraConfig lora(TrainSpec spec) {
        List<String> targets = new ArrayList<>();
        for (String t : spec.loraTargets()) targets.add(t.endsWith("_proj") ? t : t + "_proj");
        try {
            return new LoraConfig(spec.loraR(), spec.loraAlpha(), spec.loraDropout(), targets, spec.useRsLora(), spec.seed());
        } catch (IllegalArgumentException e) {
            throw new UserError("--lora-targets/--lora-dropout: " + e.getMessage());
        }
    }
}
