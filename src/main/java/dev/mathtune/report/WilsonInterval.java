package dev.mathtune.report;

/**
 * The Wilson score interval for a binomial proportion, at 95% confidence ({@code z = 1.96}).
 *
 * @param low  the lower bound, in [0, 1]
 * @param high the upper bound, in [0, 1]
 */
public record WilsonInterval(double low, double high) {
    private static final double Z = 1.959963984540054;

    public WilsonInterval {
        if (!(low >= 0 && low <= high && high <= 1)) {
            throw new IllegalArgumentException("bad interval [" + low + ", " + high + "]");
        }
    }

    /** The 95% interval for {@code correct} successes out of {@code n}; {@code [0, 1]} when {@code n == 0}. */
    public static WilsonInterval of(long correct, long n) {
        if (correct < 0 || n < 0 || correct > n) {
            throw new IllegalArgumentException("need 0 <= correct <= n, got " + correct + " of " + n);
        }
        if (n == 0) {
            return new WilsonInterval(0, 1);
        }
        double p = (double) correct / n;
        double z2 = Z * Z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z / (1 + z2 / n) * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n));
        return new WilsonInterval(Math.max(0, centre - half), Math.min(1, centre + half));
    }
}
