package dev.mathtune.generate.calc;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CalculatorTest {

    private static String eval(String expression) {
        Calculator.Outcome o = Calculator.outcome(expression);
        assertNotNull(o.result(), () -> expression + " refused: " + o.refusal());
        return o.result();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "2+3*4; 14", "(2+3)*4; 20", "2*3+4; 10", "10-4-3; 3", "8/4/2; 1", "2*3/4; 1.5", "100-2*3*4; 76",
            "-3+5; 2", "-(3+5); -8", "--3; 3", "+4; 4", "3*-2; -6", "2-(-3); 5", "1-2-(3-4); 0", "0-0; 0"})
    void precedenceAndAssociativity(String expression, String want) {
        assertEquals(want, eval(expression));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            // GSM8K annotations (train.jsonl): integers plain, terminating decimals exact
            "48/2; 24", "20/5000; 0.004", "2.5/20; 0.125", "37/40; 0.925", "3.30/3; 1.1", "33/.55; 60",
            "11/18*162; 99", "2+2+2+1/3+1/3+1/3; 7", "0.30/0.05; 6", "110*(110/100); 121",
            "0.1+0.2; 0.3", "1/3*3; 1", "7/2; 3.5", "5.; 5", "1/1024; 0.0009765625",
            // floor division as in Python: 560//10 and 180//3 are GSM8K annotations
            "560//10; 56", "180//3; 60", "7//2; 3", "-7//2; -4", "7.5//2; 3", "2//3*3; 0", "1+7//2*2; 7"})
    void exactDivisionAndDecimals(String expression, String want) {
        assertEquals(want, eval(expression));
    }

    /** Expected values: Python's {@code repr(float(Fraction(a, b)))} (python3 3.x), what OpenAI's calculator prints. */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "10/3; 3.3333333333333335", "2/3; 0.6666666666666666", "1/7; 0.14285714285714285",
            "22/7; 3.142857142857143", "100/3; 33.333333333333336", "-5/3; -1.6666666666666667",
            "1/30000; 0.000033333333333333335", "123456789/1000003; 123.45641863074411",
            // a terminating decimal of more than 17 significant digits is printed like a double too
            "1/1024/1024/1024/1024/1024/1024; 0.0000000000000000008673617379884035"})
    void nonTerminatingQuotientsAsOpenAisCalculatorPrintsThem(String expression, String want) {
        assertEquals(want, eval(expression));
    }

    /**
     * Every annotation of GSM8K (train and test, shared/data/gsm8k): the calculator evaluates its left side to its
     * right side's value. 27,175 of the 27,998 print identically; the rest are written by the annotators with money's
     * trailing zeros ({@code 8*18=144.00}), without a leading zero ({@code 2*20*.01=.4}) or as a fraction.
     */
    @Test
    void everyGsm8kAnnotationEvaluatesToItsResult() throws java.io.IOException {
        java.util.regex.Pattern annotation = java.util.regex.Pattern.compile("<<([^<>=]*)=([^<>]*)>>");
        int total = 0, identical = 0;
        for (String split : new String[]{"train.jsonl", "test.jsonl"}) {
            java.nio.file.Path file = dev.mathtune.testing.Golden.shared().resolve("data/gsm8k").resolve(split);
            for (String line : java.nio.file.Files.readAllLines(file)) {
                java.util.regex.Matcher m = annotation.matcher(line);
                while (m.find()) {
                    total++;
                    String got = eval(m.group(1));
                    // the right side as a value: "144.00", ".4" and the few fractions ("1/2") printed alike
                    assertEquals(eval(m.group(2)), got, m.group());
                    if (got.equals(m.group(2))) identical++;
                }
            }
        }
        assertEquals(27998, total);
        assertEquals(27175, identical);
    }

    @Test
    void thousandsSeparators() {
        assertEquals("1500", eval("1,000+500"));
        assertEquals("2469134.5", eval("1,234,567.25*2"));
        for (String bad : new String[]{"1,00+5", "1,2", "12,34", ",5", "1,,000", "1000,000"}) {
            assertEquals(Optional.empty(), Calculator.evaluate(bad), bad);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2+", "*3", "2**3", "2^3", "2x3", "2 + 3", "(2+3", "2+3)", "()", "2(3)", "(2)(3)",
            "1..2", ".", "abc", "3*4=12", "1e5", "0x10", "٣+1", "2///3", "+", "-"})
    void malformedExpressionsAreLeftAlone(String expression) {
        assertEquals(Optional.empty(), Calculator.evaluate(expression), expression);
        assertNotNull(Calculator.outcome(expression).refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1/0", "5/(3-3)", "2/(0.5-1/2)", "0/0", "1//0"})
    void divisionByZeroIsLeftAlone(String expression) {
        assertEquals("division by zero", Calculator.outcome(expression).refusal());
    }

    @Test
    void oversizedExpressionsAreLeftAlone() {
        assertTrue(Calculator.evaluate("1+".repeat(99) + "1").isPresent(), "199 characters");
        assertEquals(Optional.empty(), Calculator.evaluate("1+".repeat(100) + "1"), "201 characters");
        assertEquals(Optional.empty(), Calculator.evaluate("1".repeat(31) + "+1"), "a 31-digit literal");
        assertEquals("1" + "0".repeat(29), eval("1" + "0".repeat(29)));
        // (10^30)^5 = 10^150 needs 499 bits; ^6 needs 598: refused as it is computed, not after
        String power5 = String.join("*", java.util.Collections.nCopies(5, "1" + "0".repeat(29)));
        assertEquals("result longer than 40 characters", Calculator.outcome(power5).refusal());
        String power6 = String.join("*", java.util.Collections.nCopies(6, "1" + "0".repeat(29)));
        assertEquals("intermediate value over 512 bits", Calculator.outcome(power6).refusal());
        assertEquals(Optional.empty(), Calculator.evaluate("1/" + String.join("/", java.util.Collections.nCopies(6, "7".repeat(30)))));
    }

    @Test
    void deepParentheses() {
        assertEquals("5", eval("(".repeat(32) + "2+3" + ")".repeat(32)));
        assertEquals("nested more than 32 deep", Calculator.outcome("(".repeat(33) + "2+3" + ")".repeat(33)).refusal());
        assertEquals("-1", eval("-".repeat(31) + "1"));
        assertEquals(Optional.empty(), Calculator.evaluate("-".repeat(40) + "1"), "a run of signs counts as nesting");
        assertEquals(Optional.empty(), Calculator.evaluate("(".repeat(100) + "1" + ")".repeat(99)));
    }
}
