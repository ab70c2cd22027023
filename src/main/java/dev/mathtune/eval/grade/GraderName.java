package dev.mathtune.eval.grade;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The graders run side by side: mathtune's own ({@link MathtuneGrader}), Qwen2.5-Math's ({@link QwenGrader}) and
 * lm-evaluation-harness's ({@link LmEvalGrader}). One of them is a run's primary grader ({@code --grader}).
 */
public enum GraderName {
    MATHTUNE("mathtune"), QWEN("qwen"), LM_EVAL("lm-eval");

    private final String wire;

    GraderName(String wire) {
        this.wire = wire;
    }

    /** The name used on the command line, in metrics.json and in predictions.jsonl. */
    public String wireName() {
        return wire;
    }

    /** {@code mathtune}, {@code qwen} or {@code lm-eval} (any case); anything else is an {@link IllegalArgumentException}. */
    public static GraderName parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(g -> g.wire.equals(n)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown grader '" + name + "' (expected "
                        + Arrays.stream(values()).map(GraderName::wireName).collect(Collectors.joining(", ")) + ")"));
    }
}
