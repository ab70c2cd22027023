package dev.mathtune.model;

import java.util.List;
import java.util.Map;

import dev.mathtune.UserError;

/** Model shapes by name, for random-weight checkpoints ({@code mathtune init}) and benchmarks. */
public final class Presets {
    private Presets() {
    }

    /** Names accepted by {@link #get}. */
    public static final List<String> NAMES = List.of("tiny", "qwen2.5-0.5b", "qwen2.5-1.5b", "qwen2.5-math-1.5b");

    private static final Map<String, Qwen2Config> SHAPES = Map.of(
            // a few hundred thousand parameters: tests and the CPU demo
            "tiny", new Qwen2Config(512, 128, 512, 4, 4, 2, 32, 1e-6, 10000.0, true, 2048, null, List.of(0), "float32"),
            // Qwen/Qwen2.5-0.5B config.json
            "qwen2.5-0.5b", new Qwen2Config(151936, 896, 4864, 24, 14, 2, 64, 1e-6, 1000000.0, true, 32768,
                    151643, List.of(151643), "bfloat16"),
            // Qwen/Qwen2.5-1.5B config.json
            "qwen2.5-1.5b", new Qwen2Config(151936, 1536, 8960, 28, 12, 2, 128, 1e-6, 1000000.0, true, 131072,
                    151643, List.of(151643), "bfloat16"),
            // Qwen/Qwen2.5-Math-1.5B config.json
            "qwen2.5-math-1.5b", new Qwen2Config(151936, 1536, 8960, 28, 12, 2, 128, 1e-6, 10000.0, true, 4096,
                    151643, List.of(151643), "bfloat16"));

    public static Qwen2Config get(String name) {
        Qwen2Config c = SHAPES.get(name);
        if (c == null) throw new UserError("unknown preset '" + name + "' (one of " + String.join(", ", NAMES) + ")");
        return c;
    }
}
