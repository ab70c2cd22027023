package dev.mathtune.train;

/**
 * Learning rate at step s (0-based) of S: linear warmup over W steps to the peak, then cosine decay to
 * {@code minRatio · peak}: {@code lr(s) = peak·(s+1)/W} for s < W, else
 * {@code peak·(m + (1−m)·½(1 + cos(π·(s−W)/(S−W))))}.
 */
public record CosineSchedule(double peak, int warmupSteps, int totalSteps, double minRatio) {
    public double at(int step) {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        int decay = Math.max(1, totalSteps - warmupSteps);
        double progress = Math.min(1.0, (double) (step - warmupSteps) / decay);
        return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
    }
}
