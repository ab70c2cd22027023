package dev.mathtune.io;

import java.nio.ByteBuffer;

/** One tensor of a safetensors file: its name, dtype tag ({@code F32}, {@code BF16}, …), shape and raw bytes. */
public record SafetensorsEntry(String name, String dtype, long[] shape, ByteBuffer data) {
    public long numel() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }
}
