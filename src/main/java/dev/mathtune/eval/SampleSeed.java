package dev.mathtune.eval;

import dev.mathtune.generate.SplitMix;

/**
 * The sampling seed of one (item, sample) pair, derived from the run's base seed with SplitMix64 mixing:
 * {@code seed = mix(mix(mix(base) ^ itemIndex) ^ sampleIndex)}, where {@code mix} is SplitMix64's finalizer
 * applied after adding the golden-ratio increment. Distinct pairs get unrelated seeds, independent of batching
 * and of the order in which a resumed run regenerates them.
 */
public final class SampleSeed {
    private SampleSeed() {
    }

    public static long derive(long base, int itemIndex, int sample) {
        return mix(mix(mix(base) ^ itemIndex) ^ sample);
    }

    static long mix(long x) {
        return SplitMix.mix(x);
    }
}
