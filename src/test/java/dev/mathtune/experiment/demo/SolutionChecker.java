package dev.mathtune.experiment.demo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Test support: recomputes a GSM8K solution from its calculator annotations. */
final class SolutionChecker {
    private static final Pattern ANNOTATION = Pattern.compile("<<([^=>]+)=([^>]+)>>(\\d+)");
    private static final Pattern FINAL = Pattern.compile("\\n#### (\\d+)$");

    private SolutionChecker() {
    }

    /** Checks every annotation evaluates to its value, and returns the last computed value, which must equal {@code ####}. */
    static long check(String answer) {
        Matcher m = ANNOTATION.matcher(answer);
        long last = Long.MIN_VALUE;
        int count = 0;
        while (m.find()) {
            long value = Long.parseLong(m.group(2));
            assertEquals(value, evaluate(m.group(1)), "annotation " + m.group());
            assertEquals(value, Long.parseLong(m.group(3)), "text after annotation " + m.group());
            last = value;
            count++;
        }
        assertTrue(count > 0, "no annotation in " + answer);
        Matcher f = FINAL.matcher(answer);
        assertTrue(f.find(), "no final '#### N' line in " + answer);
        assertEquals(last, Long.parseLong(f.group(1)), "final answer vs last computation in " + answer);
        return last;
    }

    /** Evaluates integer {@code + - * /} with usual precedence, left to right; division must be exact. */
    static long evaluate(String expression) {
        String[] sums = expression.replace(" ", "").split("(?=[+-])|(?<=[+-])");
        long total = 0;
        char sign = '+';
        for (String part : sums) {
            if (part.equals("+") || part.equals("-")) {
                sign = part.charAt(0);
                continue;
            }
            long product = product(part);
            total = sign == '+' ? total + product : total - product;
        }
        return total;
    }

    private static long product(String term) {
        String[] parts = term.split("(?=[*/])|(?<=[*/])");
        long value = Long.parseLong(parts[0]);
        for (int i = 1; i < parts.length; i += 2) {
            long operand = Long.parseLong(parts[i + 1]);
            if (parts[i].equals("*")) {
                value *= operand;
            } else {
                assertEquals(0, value % operand, "inexact division in " + term);
                value /= operand;
            }
        }
        return value;
    }
}
