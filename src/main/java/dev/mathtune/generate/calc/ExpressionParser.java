package dev.mathtune.generate.calc;

import java.util.regex.Pattern;

/**
 * Recursive-descent evaluation of an arithmetic expression over exact {@link Rational}s:
 * <pre>
 *   expr    := term (('+' | '-') term)*
 *   term    := unary (('*' | '/' | '//') unary)*
 *   unary   := ('+' | '-') unary | primary
 *   primary := number | '(' expr ')'
 *   number  := digits ['.' digits*] | '.' digits      digits: 0-9, or groups of three after commas (1,000)
 * </pre>
 * The usual precedence and left associativity ({@code 8/4/2 = 1}); {@code //} is Python's floor division (two of
 * GSM8K's annotations use it: {@code <<560//10=56>>}). No spaces, no {@code **} (no exponentiation at
 * all), no implicit multiplication. Nesting (parentheses and signs) is bounded by {@code maxDepth}, literals by
 * {@code maxLiteralDigits} digits and every intermediate value by {@code maxBits} bits of numerator and
 * denominator; breaking a bound, a syntax error and a division by zero all throw {@link Refused}.
 */
final class ExpressionParser {
    private static final Pattern PLAIN = Pattern.compile("[0-9]+");
    private static final Pattern GROUPED = Pattern.compile("[0-9]{1,3}(,[0-9]{3})+");

    /** Why an expression is left alone. */
    static final class Refused extends Exception {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    private final String text;
    private final int maxDepth;
    private final int maxLiteralDigits;
    private final int maxBits;
    private int at;
    private int depth;

    ExpressionParser(String text, int maxDepth, int maxLiteralDigits, int maxBits) {
        this.text = text;
        this.maxDepth = maxDepth;
        this.maxLiteralDigits = maxLiteralDigits;
        this.maxBits = maxBits;
    }

    /** The value of the whole text. */
    Rational evaluate() throws Refused {
        if (text.isEmpty()) throw new Refused("empty expression");
        Rational value = expr();
        if (at < text.length()) throw new Refused("unexpected '" + text.charAt(at) + "' at " + at);
        return value;
    }

    private Rational expr() throws Refused {
        Rational value = term();
        while (at < text.length() && (peek() == '+' || peek() == '-')) {
            char op = text.charAt(at++);
            Rational right = term();
            value = bounded(op == '+' ? value.plus(right) : value.minus(right));
        }
        return value;
    }

    private Rational term() throws Refused {
        Rational value = unary();
        while (at < text.length() && (peek() == '*' || peek() == '/')) {
            char op = text.charAt(at++);
            boolean floor = op == '/' && at < text.length() && peek() == '/';
            if (floor) at++;
            Rational right = unary();
            if (op == '/' && right.numerator().signum() == 0) throw new Refused("division by zero");
            value = bounded(op == '*' ? value.times(right) : floor ? value.dividedBy(right).floor() : value.dividedBy(right));
        }
        return value;
    }

    private Rational unary() throws Refused {
        if (at < text.length() && (peek() == '+' || peek() == '-')) {
            char sign = text.charAt(at++);
            enter();
            Rational value = unary();
            depth--;
            return sign == '-' ? value.negate() : value;
        }
        return primary();
    }

    private Rational primary() throws Refused {
        if (at >= text.length()) throw new Refused("expression ends early");
        if (peek() == '(') {
            at++;
            enter();
            Rational value = expr();
            depth--;
            if (at >= text.length() || peek() != ')') throw new Refused("missing ')'");
            at++;
            return value;
        }
        return number();
    }

    /** A decimal literal, thousands separators allowed only as whole groups of three ({@code 12,345.5}). */
    private Rational number() throws Refused {
        int start = at;
        while (at < text.length() && (isDigit(peek()) || peek() == ',')) at++;
        String whole = text.substring(start, at);
        if (!whole.isEmpty() && !PLAIN.matcher(whole).matches() && !GROUPED.matcher(whole).matches()) {
            throw new Refused("misplaced ',' in '" + whole + "'");
        }
        StringBuilder digits = new StringBuilder(whole.replace(",", ""));
        int fraction = 0;
        if (at < text.length() && peek() == '.') {
            at++;
            while (at < text.length() && isDigit(peek())) {
                digits.append(text.charAt(at++));
                fraction++;
            }
        }
        if (digits.isEmpty()) {
            throw new Refused(at < text.length() ? "unexpected '" + peek() + "' at " + at : "expression ends early");
        }
        if (digits.length() > maxLiteralDigits) throw new Refused("literal of more than " + maxLiteralDigits + " digits");
        return Rational.decimal(digits.toString(), fraction);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Rational bounded(Rational value) throws Refused {
        if (value.bitLength() > maxBits) throw new Refused("intermediate value over " + maxBits + " bits");
        return value;
    }

    private void enter() throws Refused {
        if (++depth > maxDepth) throw new Refused("nested more than " + maxDepth + " deep");
    }

    private char peek() {
        return text.charAt(at);
    }
}
