package dev.mathtune.eval;

/**
 * The sampling seed of one (item, sample) pair, derived from the run's base seed with SplitMix64 mixing:
 * {@code seed = mix(mix(mix(base) ^ itemIndex) ^ sampleIndex)}, where {@code mix} is SplitMix64's finalizer
 * applied after adding the golden-ratio increment. Distinct pairs get unrelated seeds, independent of batching
 * and of the order in which a resumed run regenerates them.
 */
public final class SampleSeed {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SampleSeed() {
    }

    public static long derive(long base, int itemIndex, int sample) {
        return mix(mix(mix(base) ^ itemIndex) ^ sample);
    }

    static long mix(long x) {
        long z = x + GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
