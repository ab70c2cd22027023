package dev.mathtune.generate;

import java.util.List;

/**
 * How to pick tokens: greedy when {@code temperature == 0}, else temperature / top-k / top-p sampling
 * from an explicit seed. Generation stops at {@code maxNewTokens}, an EOS id, or one of {@code stop}.
 */
public record SamplingParams(int maxNewTokens, double temperature, double topP, int topK, long seed,
                             List<String> stop) {
    public SamplingParams {
        if (maxNewTokens < 0) throw new IllegalArgumentException("maxNewTokens must be >= 0, got " + maxNewTokens);
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (topP <= 0 || topP > 1) throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0 (0 = off), got " + topK);
        stop = stop == null ? List.of() : List.copyOf(stop);
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(maxNewTokens, 0.0, 1.0, 0, 0L, List.of());
    }

    public boolean isGreedy() {
        return temperature == 0.0;
    }

    public SamplingParams withStop(List<String> newStop) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, seed, newStop);
    }

    public SamplingParams withSeed(long newSeed) {
        return new SamplingParams(maxNewTokens, temperature, topP, topK, newSeed, stop);
    }
}
