package dev.mathtune.generate.calc;

import java.math.BigInteger;

/**
 * An exact rational number {@code numerator / denominator} in lowest terms, the denominator positive. The
 * {@link Calculator}'s arithmetic: sums, differences, products and quotients of rationals are exact, so
 * {@code 0.1+0.2} is {@code 3/10} and {@code 1/3*3} is {@code 1}.
 */
record Rational(BigInteger numerator, BigInteger denominator) {

    Rational {
        if (denominator.signum() == 0) throw new ArithmeticException("division by zero");
        if (denominator.signum() < 0) {
            numerator = numerator.negate();
            denominator = denominator.negate();
        }
        BigInteger g = numerator.gcd(denominator);
        if (!g.equals(BigInteger.ONE) && g.signum() != 0) {
            numerator = numerator.divide(g);
            denominator = denominator.divide(g);
        }
    }

    /** A decimal literal's digits without its point, scaled down by {@code 10^fractionDigits}. */
    static Rational decimal(String digits, int fractionDigits) {
        return new Rational(new BigInteger(digits), BigInteger.TEN.pow(fractionDigits));
    }

    Rational plus(Rational o) {
        return new Rational(numerator.multiply(o.denominator).add(o.numerator.multiply(denominator)),
                denominator.multiply(o.denominator));
    }

    Rational minus(Rational o) {
        return plus(o.negate());
    }

    Rational times(Rational o) {
        return new Rational(numerator.multiply(o.numerator), denominator.multiply(o.denominator));
    }

    /** {@code this / o}; an {@link ArithmeticException} when {@code o} is zero. */
    Rational dividedBy(Rational o) {
        if (o.numerator.signum() == 0) throw new ArithmeticException("division by zero");
        return new Rational(numerator.multiply(o.denominator), denominator.multiply(o.numerator));
    }

    /** The greatest integer not above this value (Python's {@code //} rounds so, toward minus infinity). */
    Rational floor() {
        BigInteger[] qr = numerator.divideAndRemainder(denominator);
        BigInteger q = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        return new Rational(q, BigInteger.ONE);
    }

    Rational negate() {
        return new Rational(numerator.negate(), denominator);
    }

    boolean isInteger() {
        return denominator.equals(BigInteger.ONE);
    }

    /** Bits of the larger of numerator and denominator: the size bound the calculator enforces. */
    int bitLength() {
        return Math.max(numerator.bitLength(), denominator.bitLength());
    }

    /** Whether the decimal expansion ends: the denominator has no prime factor but 2 and 5. */
    boolean terminates() {
        BigInteger d = denominator.shiftRight(denominator.getLowestSetBit());
        BigInteger five = BigInteger.valueOf(5);
        while (d.mod(five).signum() == 0) d = d.divide(five);
        return d.equals(BigInteger.ONE);
    }
}
