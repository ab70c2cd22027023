package dev.mathtune.eval.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class NumericAnswerTest {

    private static double value(String s) {
        OptionalDouble v = NumericAnswer.parse(s);
        assertTrue(v.isPresent(), s);
        return v.getAsDouble();
    }

    @Test
    void parsesTheAcceptedForms() {
        assertEquals(-3, value("-3"));
        assertEquals(0.5, value(".5"));
        assertEquals(1500, value("1.5e3"));
        assertEquals(1500, value("1.5\\times10^{3}"));
        assertEquals(0.0025, value("2.5\\cdot10^{-3}"), 1e-15);
        assertEquals(0.01, value("10^{-2}"), 1e-15);
        assertEquals(0.75, value("3/4"));
        assertEquals(-0.75, value("\\frac{-3}{4}"));
        assertEquals(-0.75, value("-\\frac{3}{4}"));
        assertEquals(0.75, value("-\\frac{-3}{4}"));
        assertEquals(-2.5, value("-2\\frac{1}{2}"));
    }

    @Test
    void rejectsNonNumbers() {
        assertFalse(NumericAnswer.parse("x").isPresent());
        assertFalse(NumericAnswer.parse("\\sqrt{2}").isPresent());
        assertFalse(NumericAnswer.parse("1/0").isPresent());
        assertFalse(NumericAnswer.parse("(1,2)").isPresent());
    }

    @Test
    void toleranceIsRelativeButIntegersAreExact() {
        assertTrue(NumericAnswer.close(1000, 1000.05));
        assertFalse(NumericAnswer.close(1000, 1000.2));
        assertFalse(NumericAnswer.close(0, 1e-9));
        assertFalse(NumericAnswer.sameNumber("25998", 25998, "26000", 26000));
        assertTrue(NumericAnswer.sameNumber("0.5", 0.5, "0.50001", 0.50001));
    }
}
