package dev.mathtune.engine;

import org.bytedeco.pytorch.global.torch.ScalarType;

/** Floating-point formats the engine computes or stores in, with their safetensors tags. */
public enum DType {
    FP32(ScalarType.Float, "F32", 4),
    BF16(ScalarType.BFloat16, "BF16", 2),
    FP16(ScalarType.Half, "F16", 2),
    FP64(ScalarType.Double, "F64", 8);

    private final ScalarType scalarType;
    private final String safetensorsTag;
    private final int bytes;

    DType(ScalarType scalarType, String safetensorsTag, int bytes) {
        this.scalarType = scalarType;
        this.safetensorsTag = safetensorsTag;
        this.bytes = bytes;
    }

    public ScalarType scalarType() {
        return scalarType;
    }

    public String safetensorsTag() {
        return safetensorsTag;
    }

    public int bytes() {
        return bytes;
    }

    /** The dtype of a safetensors tag ({@code F32}, {@code BF16}, {@code F16}, {@code F64}), or null. */
    public static DType ofSafetensorsTag(String tag) {
        for (DType d : values()) {
            if (d.safetensorsTag.equals(tag)) return d;
        }
        return null;
    }

    /** Parses a user-facing name: {@code fp32|float32|bf16|bfloat16|fp16|float16}. */
    public static DType parse(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "fp32", "float32", "f32", "float" -> FP32;
            case "bf16", "bfloat16" -> BF16;
            case "fp16", "float16", "f16", "half" -> FP16;
            case "fp64", "float64", "double" -> FP64;
            default -> throw new IllegalArgumentException("unknown dtype '" + name + "' (fp32, bf16, fp16)");
        };
    }

    /** The dtype of a tensor (compare by value: trap 2 of ENGINE.md, enums come back as fresh objects). */
    static DType of(org.bytedeco.pytorch.Tensor t) {
        int v = t.scalar_type().value;
        for (DType d : values()) {
            if (d.scalarType.value == v) return d;
        }
        throw new IllegalStateException("not a floating tensor: scalar type " + v);
    }
}
