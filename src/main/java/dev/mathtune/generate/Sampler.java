package dev.mathtune.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a logits row: greedy (argmax) when temperature is 0; otherwise softmax of
 * {@code logits / T}, restricted to the {@code top_k} most likely tokens, then to the smallest set whose
 * probability reaches {@code top_p} (nucleus), sampled with the sequence's own seeded generator.
 */
public final class Sampler {
    private final SamplingParams params;
    private final SplittableRandom random;

    public Sampler(SamplingParams params) {
        this.params = params;
        this.random = new SplittableRandom(params.seed());
    }

    public boolean greedy() {
        return params.isGreedy();
    }

    /** Samples a token id from a logits row. */
    public int sample(float[] logits) {
        int n = logits.length;
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) max = Math.max(max, l);
        double[] p = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp((logits[i] - max) / params.temperature());
            total += p[i];
        }
        if (params.topK() == 0 && params.topP() >= 1.0) {
            return draw(p, null, n, total);
        }
        // Sort by probability, descending: pack (float bits of p, index); p > 0 so bit order = value order.
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = ((long) Float.floatToIntBits((float) p[i]) << 32) | i;
        Arrays.sort(keys);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = (int) keys[n - 1 - i];
        int keep = params.topK() > 0 ? Math.min(params.topK(), n) : n;
        double cumulative = 0, mass = 0;
        int cut = keep;
        for (int i = 0; i < keep; i++) {
            cumulative += p[order[i]] / total;
            mass += p[order[i]];
            if (cumulative >= params.topP()) {
                cut = i + 1;
                break;
            }
        }
        return draw(p, order, cut, mass);
    }

    /** Inverse-CDF draw over the first {@code count} entries of {@code order} (or all, in index order). */
    private int draw(double[] p, int[] order, int count, double mass) {
        double u = random.nextDouble() * mass;
        for (int i = 0; i < count; i++) {
            int id = order == null ? i : order[i];
            u -= p[id];
            if (u <= 0) return id;
        }
        return order == null ? count - 1 : order[count - 1];
    }
}
