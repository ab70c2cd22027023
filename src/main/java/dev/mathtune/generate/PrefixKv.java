package dev.mathtune.generate;

import dev.mathtune.model.KvCache;

/** Prefix-tuning key/values to place at the start of every sequence's cache (see {@code peft.PrefixTuning}). */
public interface PrefixKv {
    /** Number of virtual tokens P. */
    long length();

    /** Writes the prefix into columns 0..P-1 of every row of {@code cache}. */
    void fill(KvCache cache);
}
