package dev.mathtune.generate;

/**
 * SplitMix64's finalizer (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", 2014), applied
 * after adding the golden-ratio increment: turns related seeds (a base seed and an index) into unrelated ones.
 */
public final class SplitMix {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SplitMix() {
    }

    public static long mix(long x) {
        long z = x + GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The sampling seed of choice {@code index} of a request seeded with {@code seed}: the seed itself for choice 0
     * (so a one-choice request samples as before), {@code mix(mix(seed) ^ index)} for the others. It depends on
     * nothing else, so a request's choices are the same whatever it is batched with.
     */
    public static long choiceSeed(long seed, int index) {
        return index == 0 ? seed : mix(mix(seed) ^ index);
    }
}
