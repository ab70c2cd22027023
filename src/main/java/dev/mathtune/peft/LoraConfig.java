package dev.mathtune.peft;

import java.util.Arrays;
import java.util.List;

import dev.mathtune.model.LayerProjections;

/**
 * LoRA hyper-parameters, as PEFT's {@code LoraConfig}: rank {@code r}, {@code lora_alpha}, {@code lora_dropout}
 * (on the adapter's input only, training only), the wrapped projections ({@code target_modules}, names from
 * {@link LayerProjections#NAMES}), {@code use_rslora} and the seed of {@code lora_A}'s initialisation.
 * The adapter output is scaled by {@code s = alpha / r}, or {@code alpha / √r} with rsLoRA.
 */
public record LoraConfig(int r, double alpha, double dropout, List<String> targets, boolean useRsLora, long seed) {

    /** All seven projections of a Qwen2 layer. */
    public static final List<String> ALL_TARGETS = List.of(LayerProjections.NAMES);

    public LoraConfig {
        if (r <= 0) throw new IllegalArgumentException("LoRA rank r must be positive, got " + r);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + dropout);
        targets = targets == null || targets.isEmpty() ? ALL_TARGETS : List.copyOf(targets);
        for (String t : targets) {
            if (!ALL_TARGETS.contains(t)) {
                throw new IllegalArgumentException("unknown LoRA target '" + t + "' (expected some of " + ALL_TARGETS + ")");
            }
        }
    }

    /** r, alpha, no dropout, all seven projections, plain scaling, seed 0. */
    public static LoraConfig of(int r, double alpha) {
        return new LoraConfig(r, alpha, 0.0, ALL_TARGETS, false, 0L);
    }

    /** {@code s = alpha / r}, or {@code alpha / √r} with rsLoRA. */
    public double scaling() {
        return useRsLora ? alpha / Math.sqrt(r) : alpha / r;
    }

    /** Whether projection {@code index} (in {@link LayerProjections#NAMES} order) is wrapped. */
    public boolean targets(int index) {
        return targets.contains(LayerProjections.NAMES[index]);
    }

    /** Targets in {@link LayerProjections#NAMES} order (PEFT stores a set; we write them in layer order). */
    List<String> orderedTargets() {
        return Arrays.stream(LayerProjections.NAMES).filter(targets::contains).toList();
    }
}
