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
            "0.1+0.2; 0.3", "1/3*3; 1", "7/2; 3.5", "5.; 5", "1/1024; 0.0009765625"})
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
            "1..2", ".", "abc", "3*4=12", "1e5", "0x10", "٣+1", "2//3", "+", "-"})
    void malformedExpressionsAreLeftAlone(String expression) {
        assertEquals(Optional.empty(), Calculator.evaluate(expression), expression);
        assertNotNull(Calculator.outcome(expression).refusal());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1/0", "5/(3-3)", "2/(0.5-1/2)", "0/0"})
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
