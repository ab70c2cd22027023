package dev.mathtune.model;

import org.bytedeco.pytorch.Tensor;

import dev.mathtune.engine.Tensors;

/**
 * A left-padded batch of token sequences as tensors: {@code ids (B, T)}, {@code valid (B, T)} (1 for real tokens)
 * and {@code positions (B, T)} = cumsum(valid) − 1 + offset (padding slots get position 1, as HF's generate does).
 */
public record Batch(Tensor ids, Tensor valid, Tensor positions, int[] lengths) {

    /** Left-pads {@code rows} to a common length with {@code padId}; positions start at {@code offset}. */
    public static Batch leftPadded(int[][] rows, int padId, long offset) {
        int b = rows.length, t = 0;
        for (int[] r : rows) t = Math.max(t, r.length);
        long[] ids = new long[b * t], valid = new long[b * t], pos = new long[b * t];
        int[] lengths = new int[b];
        for (int i = 0; i < b; i++) {
            int pad = t - rows[i].length;
            lengths[i] = rows[i].length;
            for (int j = 0; j < t; j++) {
                boolean real = j >= pad;
                ids[i * t + j] = real ? rows[i][j - pad] : padId;
                valid[i * t + j] = real ? 1 : 0;
                pos[i * t + j] = real ? offset + j - pad : 1;
            }
        }
        return new Batch(Tensors.longs(ids, b, t), Tensors.longs(valid, b, t), Tensors.longs(pos, b, t), lengths);
    }

    public long rows() {
        return ids.size(0);
    }

    public long length() {
        return ids.size(1);
    }
}
