package dev.mathtune.generate.calc;

import java.util.Optional;

/**
 * The calculator of GSM8K's annotations ({@code <<48/2=24>>}): evaluates the left side of an annotation exactly and
 * prints the result as the annotations do ({@link ResultFormat}). Like OpenAI's GSM8K calculator
 * ({@code grade_school_math/calculator.py} in openai/grade-school-math) it accepts only the characters
 * {@code 0123456789*+-/.()} and commas, and gives no result for anything it cannot evaluate; unlike it, it never
 * uses Python's {@code eval}: the arithmetic is exact ({@link Rational}), commas must be thousands separators
 * ({@code 1,000}; OpenAI's drops every comma), {@code **} is refused rather than taken as a power ({@code //} is
 * Python's floor division, as in two GSM8K annotations), and the input is
 * bounded: at most {@value #MAX_CHARS} characters, {@value #MAX_LITERAL_DIGITS} digits per number, nesting
 * {@value #MAX_DEPTH} deep, intermediate values of {@value #MAX_BITS} bits, a result of {@value #MAX_RESULT_CHARS}
 * characters. Together the bounds keep one evaluation to microseconds, so no timer is needed (OpenAI's has a 3 s
 * alarm because Python's {@code eval} of {@code 9**9**9} never ends). See docs/DESIGN.md, "Calculator".
 */
public final class Calculator {
    public static final int MAX_CHARS = 200;
    public static final int MAX_LITERAL_DIGITS = 30;
    public static final int MAX_DEPTH = 32;
    public static final int MAX_BITS = 512;
    public static final int MAX_RESULT_CHARS = 40;

    private Calculator() {
    }

    /**
     * The printed value of {@code expression}, or empty when it is left to the model: malformed, oversized, or a
     * division by zero.
     */
    public static Optional<String> evaluate(String expression) {
        return Optional.ofNullable(outcome(expression).result());
    }

    /** The printed value, or why there is none. */
    public static Outcome outcome(String expression) {
        if (expression.length() > MAX_CHARS) return Outcome.refused("longer than " + MAX_CHARS + " characters");
        try {
            Rational value = new ExpressionParser(expression, MAX_DEPTH, MAX_LITERAL_DIGITS, MAX_BITS).evaluate();
            String printed = ResultFormat.format(value);
            if (printed.length() > MAX_RESULT_CHARS) {
                return Outcome.refused("result longer than " + MAX_RESULT_CHARS + " characters");
            }
            return new Outcome(printed, null);
        } catch (ExpressionParser.Refused e) {
            return Outcome.refused(e.getMessage());
        }
    }

    /** Exactly one of {@code result} (the printed value) and {@code refusal} (why there is none) is set. */
    public record Outcome(String result, String refusal) {
        static Outcome refused(String why) {
            return new Outcome(null, why);
        }
    }
}
