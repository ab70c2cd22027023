package dev.mathtune.model;

import org.bytedeco.pytorch.Tensor;

/**
 * Where attention finds its keys and values besides the current tokens': a KV cache of earlier steps, trained
 * prefix-tuning key/values, or nothing.
 */
public interface KvSource {
    /**
     * Given this step's keys and values {@code (B, kvHeads, T, d)} for {@code layer} (RoPE already applied to k),
     * returns the full {@code {keys, values}} to attend over, each {@code (B, kvHeads, S, d)}; the current tokens
     * are the last T of S.
     */
    Tensor[] extend(int layer, Tensor k, Tensor v);

    /** Number of key positions before the current tokens. */
    long pastLength();
}
