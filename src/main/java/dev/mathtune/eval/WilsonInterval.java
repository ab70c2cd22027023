package dev.mathtune.eval;

/**
 * The Wilson score interval for a binomial proportion: with {@code p = c/n} and {@code z = 1.96} (95%),
 * <pre>
 *   center = (p + z²/(2n)) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · sqrt(p(1-p)/n + z²/(4n²))
 *   [lower, upper] = [center - half, center + half]
 * </pre>
 * Unlike the normal approximation it stays inside [0, 1] and is sensible at 0/n and n/n.
 * For {@code n = 0} it is [0, 1].
 */
public record WilsonInterval(double lower, double upper) {
    public static final double Z95 = 1.959963984540054;

    /** The 95% interval for {@code successes} out of {@code n}. */
    public static WilsonInterval of95(long successes, long n) {
        return of(successes, n, Z95);
    }

    public static WilsonInterval of(long successes, long n, double z) {
        if (successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= successes <= n, got " + successes + "/" + n);
        }
        if (n == 0) {
            return new WilsonInterval(0, 1);
        }
        double p = (double) successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double center = (p + z2 / (2.0 * n)) / denominator;
        double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new WilsonInterval(Math.max(0, center - half), Math.min(1, center + half));
    }
}
