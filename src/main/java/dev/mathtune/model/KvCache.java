package dev.mathtune.model;

import org.bytedeco.pytorch.Tensor;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * Per-layer keys and values of earlier positions, {@code (rows, kvHeads, capacity, d)}, on one shared timeline of
 * {@link #length()} columns. Every forward writes its T new columns for all rows; which columns a row may attend
 * to is the caller's mask (see {@code AttentionMask}). Rows can be refilled with another cache's row (continuous
 * batching), the timeline padded on the left and trimmed when its oldest columns are no longer used.
 * The tensors live outside any {@link Scope}; {@link #close} frees them.
 */
public final class KvCache implements KvSource, AutoCloseable {
    private final int rows;
    private final long kvHeads;
    private final long headDim;
    private final DType dtype;
    private final Tensor[] keys;
    private final Tensor[] values;
    private long capacity;
    private long length;

    public KvCache(Qwen2Config config, int rows, long capacity, DType dtype) {
        this.rows = rows;
        this.kvHeads = config.numKvHeads();
        this.headDim = config.headDim();
        this.dtype = dtype;
        this.keys = new Tensor[config.numLayers()];
        this.values = new Tensor[config.numLayers()];
        this.capacity = Math.max(capacity, 16);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = Scope.keep(zeros(this.capacity));
            values[l] = Scope.keep(zeros(this.capacity));
        }
    }

    private Tensor zeros(long columns) {
        return Tensors.zeros(dtype, rows, kvHeads, columns, headDim);
    }

    public int rows() {
        return rows;
    }

    /** Columns written so far. */
    public long length() {
        return length;
    }

    @Override
    public long pastLength() {
        return length;
    }

    /** Makes room for {@code extra} more columns (amortised doubling). */
    public void reserve(long extra) {
        if (length + extra <= capacity) return;
        long cap = Math.max(capacity * 2, length + extra);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = regrow(keys[l], cap, 0);
            values[l] = regrow(values[l], cap, 0);
        }
        capacity = cap;
    }

    private Tensor regrow(Tensor old, long cap, long shift) {
        Tensor fresh = Scope.keep(zeros(cap));
        fresh.narrow(2, shift, length).copy_(old.narrow(2, 0, length));
        Tensors.release(old);
        return fresh;
    }

    @Override
    public Tensor[] extend(int layer, Tensor k, Tensor v) {
        long t = k.size(2);
        if (layer == 0) reserve(t);
        keys[layer].narrow(2, length, t).copy_(k);
        values[layer].narrow(2, length, t).copy_(v);
        return new Tensor[]{keys[layer].narrow(2, 0, length + t), values[layer].narrow(2, 0, length + t)};
    }

    /** Marks the T columns written by the last forward as part of the timeline. */
    public void advance(long t) {
        length += t;
    }

    /** Inserts {@code n} empty columns at the start of the timeline (existing columns move right). */
    public void padLeft(long n) {
        if (n <= 0) return;
        long cap = Math.max(capacity, length + n);
        for (int l = 0; l < keys.length; l++) {
            keys[l] = regrow(keys[l], cap, n);
            values[l] = regrow(values[l], cap, n);
        }
        capacity = cap;
        length += n;
    }

    /** Drops the first {@code n} columns of the timeline. */
    public void trimLeft(long n) {
        if (n <= 0) return;
        for (int l = 0; l < keys.length; l++) {
            Tensor[] kv = {keys[l], values[l]};
            for (int j = 0; j < 2; j++) {
                Tensor fresh = Scope.keep(zeros(capacity));
                fresh.narrow(2, 0, length - n).copy_(kv[j].narrow(2, n, length - n));
                Tensors.release(kv[j]);
                kv[j] = fresh;
            }
            keys[l] = kv[0];
            values[l] = kv[1];
        }
        length -= n;
    }

    /**
     * Copies all {@code src.length()} columns of row {@code srcRow} of {@code src} into row {@code dstRow} of this
     * cache, ending at this timeline's last column (the caller pads on the left first if needed).
     */
    public void copyRow(KvCache src, int srcRow, int dstRow) {
        long n = src.length;
        if (n > length) throw new IllegalStateException("copyRow: " + n + " columns do not fit in " + length);
        for (int l = 0; l < keys.length; l++) {
            keys[l].select(0, dstRow).narrow(1, length - n, n).copy_(src.keys[l].select(0, srcRow).narrow(1, 0, n));
            values[l].select(0, dstRow).narrow(1, length - n, n).copy_(src.values[l].select(0, srcRow).narrow(1, 0, n));
        }
    }

    /** Writes the same per-layer key/values {@code (kvHeads, P, d)} (a prefix) into every row at columns 0..P-1. */
    public void fillPrefix(Tensor[] prefixKeys, Tensor[] prefixValues) {
        long p = prefixKeys[0].size(1);
        reserve(p);
        for (int l = 0; l < keys.length; l++) {
            keys[l].narrow(2, 0, p).copy_(prefixKeys[l].unsqueeze(0).expand(rows, kvHeads, p, headDim));
            values[l].narrow(2, 0, p).copy_(prefixValues[l].unsqueeze(0).expand(rows, kvHeads, p, headDim));
        }
        length = Math.max(length, p);
    }

    @Override
    public void close() {
        for (int l = 0; l < keys.length; l++) {
            Tensors.release(keys[l]);
            Tensors.release(values[l]);
            keys[l] = values[l] = null;
        }
    }
}
