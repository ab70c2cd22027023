package dev.mathtune.generate.calc;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How the {@link Calculator} prints a value, in GSM8K's annotation style: an integer as its digits ({@code 24},
 * {@code -3}); a terminating decimal exactly, with a leading zero and no trailing zeros ({@code 0.125},
 * {@code 2.5}), while it has at most 17 significant digits; any other value (a non-terminating quotient such as
 * {@code 10/3}, or a longer decimal) the way OpenAI's GSM8K calculator prints it: Python's {@code repr} of the
 * double nearest the value, which is the shortest decimal that reads back as that double
 * ({@code 3.3333333333333335}, {@code 0.6666666666666666}), here written without an exponent.
 */
final class ResultFormat {
    /** The most significant digits a double's shortest round-trip decimal needs. */
    static final int DOUBLE_DIGITS = 17;

    private ResultFormat() {
    }

    static String format(Rational value) {
        if (value.isInteger()) return value.numerator().toString();
        if (value.terminates()) {
            BigDecimal exact = new BigDecimal(value.numerator()).divide(new BigDecimal(value.denominator()));
            if (exact.precision() <= DOUBLE_DIGITS) return plain(exact);
        }
        return plain(shortestRoundTrip(nearestDouble(value)));
    }

    /** The double nearest {@code value} (its quotient taken to 40 significant digits first, far below a double's ulp). */
    static double nearestDouble(Rational value) {
        return new BigDecimal(value.numerator())
                .divide(new BigDecimal(value.denominator()), new MathContext(40, RoundingMode.HALF_EVEN)).doubleValue();
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code d}, the nearest one of that length
     * (what Python's {@code repr(float)} prints; Java 17's {@code Double.toString} is not always the shortest).
     */
    static BigDecimal shortestRoundTrip(double d) {
        BigDecimal exact = new BigDecimal(d);
        for (int digits = 1; digits < DOUBLE_DIGITS; digits++) {
            BigDecimal candidate = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == d) return candidate;
        }
        return exact.round(new MathContext(DOUBLE_DIGITS, RoundingMode.HALF_EVEN));
    }

    private static String plain(BigDecimal value) {
        return value.signum() == 0 ? "0" : value.stripTrailingZeros().toPlainString();
    }
}
