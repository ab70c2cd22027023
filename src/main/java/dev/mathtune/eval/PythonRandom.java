package dev.mathtune.eval;

/**
 * CPython's {@code random.Random}, as far as {@code sample} needs it: MT19937 seeded from an integer the way
 * {@code Modules/_randommodule.c} does ({@code init_by_array} over the 32-bit words of {@code |seed|}, least
 * significant first), {@code getrandbits(k)} for {@code k <= 32} (the top {@code k} bits of one output),
 * {@code _randbelow} by rejection on {@code n.bit_length()} bits, and {@code Lib/random.py}'s {@code sample}
 * (a pool swap for small populations, a set of drawn indices otherwise). It lets mathtune draw the few-shot
 * examples lm-evaluation-harness draws with {@code random.Random(1234).sample(docs, k)}.
 */
public final class PythonRandom {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int index;

    public PythonRandom(long seed) {
        long a = Math.abs(seed);
        int[] key = a >>> 32 == 0 ? new int[]{(int) a} : new int[]{(int) a, (int) (a >>> 32)};
        initByArray(key);
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        mt[0] = 0x80000000;
    }

    /** The next 32-bit output ({@code genrand_uint32}), as an unsigned value. */
    public long nextUint32() {
        if (index >= N) {
            for (int k = 0; k < N; k++) {
                int y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
                mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? 0x9908b0df : 0);
            }
            index = 0;
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return Integer.toUnsignedLong(y);
    }

    /** {@code getrandbits(k)} for {@code 1 <= k <= 32}. */
    long bits(int k) {
        return nextUint32() >>> (32 - k);
    }

    /** {@code _randbelow_with_getrandbits(n)}: uniform in {@code [0, n)}. */
    int below(int n) {
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = bits(k);
        while (r >= n) {
            r = bits(k);
        }
        return (int) r;
    }

    /** The indices {@code random.sample(range(n), k)} returns, in order. */
    public int[] sample(int n, int k) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("sample larger than population or negative: " + k + " of " + n);
        }
        int[] result = new int[k];
        int setSize = 21;
        if (k > 5) {
            setSize += (int) Math.pow(4, Math.ceil(Math.log(k * 3) / Math.log(4)));
        }
        if (n <= setSize) {
            int[] pool = new int[n];
            for (int i = 0; i < n; i++) {
                pool[i] = i;
            }
            for (int i = 0; i < k; i++) {
                int j = below(n - i);
                result[i] = pool[j];
                pool[j] = pool[n - i - 1];
            }
            return result;
        }
        java.util.Set<Integer> selected = new java.util.HashSet<>();
        for (int i = 0; i < k; i++) {
            int j = below(n);
            while (selected.contains(j)) {
                j = below(n);
            }
            selected.add(j);
            result[i] = j;
        }
        return result;
    }
}
