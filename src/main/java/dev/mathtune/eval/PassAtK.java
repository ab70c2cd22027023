package dev.mathtune.eval;

/**
 * The unbiased pass@k estimator of Chen et al. (2021): from {@code n} samples of which {@code c} are correct,
 * <pre>  pass@k = 1 - C(n-c, k) / C(n, k) = 1 - Π_{i=n-c+1..n} (1 - k/i)</pre>
 * (the product form avoids huge binomials); it is 1 when {@code n - c < k}. pass@n is 1 iff any sample is correct.
 */
public final class PassAtK {
    private PassAtK() {
    }

    public static double estimate(int n, int c, int k) {
        if (k < 1 || k > n || c < 0 || c > n) {
            throw new IllegalArgumentException("need 1 <= k <= n and 0 <= c <= n, got n=" + n + " c=" + c + " k=" + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allWrong *= 1.0 - (double) k / i;
        }
        return 1.0 - allWrong;
    }
}
