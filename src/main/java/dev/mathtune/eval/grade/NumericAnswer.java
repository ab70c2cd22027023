package dev.mathtune.eval.grade;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a normalised answer as one real number, and compares numbers with a relative tolerance.
 * Accepted forms: integers and decimals ({@code -3}, {@code 0.25}, {@code .5}), scientific notation ({@code 1.5e3},
 * {@code 1.5\times10^{3}}, {@code 1.5\cdot 10^3}, {@code 10^{-2}}), fractions ({@code 3/4}, {@code \frac{3}{4}},
 * {@code -\frac{3}{4}}, {@code \frac{-3}{4}}) and mixed numbers ({@code 2\frac{1}{2}} = 2.5, {@code -2\frac{1}{2}} = -2.5).
 */
public final class NumericAnswer {

    /** Relative tolerance of {@link #close}: {@code |a − b| ≤ 1e-4 · max(|a|, |b|)}. */
    public static final double RELATIVE_TOLERANCE = 1e-4;

    private static final String NUM = "(\\d+(?:\\.\\d*)?|\\.\\d+)";
    private static final Pattern DECIMAL = Pattern.compile("([+-]?)" + NUM + "(?:[eE]([+-]?\\d+))?");
    private static final Pattern SCIENTIFIC = Pattern.compile(
            "([+-]?)(?:" + NUM + "\\s*(?:\\\\times|\\\\cdot|\\*|×)\\s*)?10\\^\\{?([+-]?\\d+)\\}?");
    private static final Pattern SLASH = Pattern.compile("([+-]?)" + NUM + "/" + NUM);
    private static final Pattern FRAC = Pattern.compile("([+-]?)\\\\frac\\{([+-]?)" + NUM + "\\}\\{([+-]?)" + NUM + "\\}");
    private static final Pattern MIXED = Pattern.compile("([+-]?)(\\d+)\\\\frac\\{(\\d+)\\}\\{(\\d+)\\}");

    private NumericAnswer() {
    }

    /** The value of {@code normalized}, or empty when it is not a single number in one of the accepted forms. */
    public static OptionalDouble parse(String normalized) {
        String s = normalized.strip();
        Matcher m;
        if ((m = DECIMAL.matcher(s)).matches()) {
            double exp = m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
            return value(m.group(1), Double.parseDouble(m.group(2)) * Math.pow(10, exp));
        }
        if ((m = SCIENTIFIC.matcher(s)).matches()) {
            double mantissa = m.group(2) == null ? 1 : Double.parseDouble(m.group(2));
            return value(m.group(1), mantissa * Math.pow(10, Double.parseDouble(m.group(3))));
        }
        if ((m = SLASH.matcher(s)).matches()) {
            return quotient(m.group(1), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
        }
        if ((m = FRAC.matcher(s)).matches()) {
            boolean negative = m.group(1).equals("-") ^ m.group(2).equals("-") ^ m.group(4).equals("-");
            return quotient(negative ? "-" : "", Double.parseDouble(m.group(3)), Double.parseDouble(m.group(5)));
        }
        if ((m = MIXED.matcher(s)).matches()) {
            double whole = Double.parseDouble(m.group(2));
            return value(m.group(1), whole + Double.parseDouble(m.group(3)) / Double.parseDouble(m.group(4)));
        }
        return OptionalDouble.empty();
    }

    /** Whether {@code a} and {@code b} agree within {@link #RELATIVE_TOLERANCE} (exactly, when one of them is 0). */
    public static boolean close(double a, double b) {
        return a == b || Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    /**
     * Whether two normalised numbers are the same answer: written as integers they must be equal exactly
     * ({@code 25998} is not {@code 26000}); otherwise they must be {@link #close}.
     */
    public static boolean sameNumber(String a, double va, String b, double vb) {
        return isInteger(a) && isInteger(b) ? va == vb : close(va, vb);
    }

    private static boolean isInteger(String s) {
        return s.strip().matches("[+-]?\\d+");
    }

    private static OptionalDouble quotient(String sign, double numerator, double denominator) {
        return denominator == 0 ? OptionalDouble.empty() : value(sign, numerator / denominator);
    }

    private static OptionalDouble value(String sign, double magnitude) {
        double v = "-".equals(sign) ? -magnitude : magnitude;
        return Double.isFinite(v) ? OptionalDouble.of(v) : OptionalDouble.empty();
    }
}
