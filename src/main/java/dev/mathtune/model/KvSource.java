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

    /**
     * Called once at the start of every forward pass, in the caller's memory scope (each layer then runs in a
     * scope of its own): a source that derives tensors for all layers (a projected prefix) builds them here.
     */
    default void begin() {
    }
}
