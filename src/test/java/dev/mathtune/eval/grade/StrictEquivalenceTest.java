package dev.mathtune.eval.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The PRM800K-style strict verdict: string forms, exact fractions, no units leniency, simple symbolic checks. */
class StrictEquivalenceTest {

    private final MathAnswerGrader grader = MathAnswerGrader.math();

    private boolean strict(String given, String truth) {
        return grader.gradeStrict(given, truth).correct();
    }

    @Test
    void normalisedStringsMatch() {
        assertTrue(strict("0.5", "\\frac{1}{2}"));
        assertTrue(strict("\\dfrac{3}{4}", "\\frac34"));
        assertTrue(strict("(1, 2)", "(1,2)"));
        assertTrue(strict("1,000", "1000"));
        assertTrue(strict("\\text{Even}", "\\text{even}"));
    }

    @Test
    void fractionsMustBeReducedAndIntegersWrittenAsIntegers() {
        assertFalse(strict("\\frac{2}{4}", "\\frac{1}{2}"));
        assertFalse(strict("\\frac{14}{2}", "7"));
        assertTrue(grader.grade("\\frac{14}{2}", "7").correct(), "the lenient verdict accepts it");
    }

    @Test
    void noUnitsLeniency() {
        assertFalse(strict("10 cm", "10"));
        assertTrue(grader.grade("10 cm", "10").correct());
    }

    @Test
    void bracketsAndElementCountsMustMatch() {
        assertFalse(strict("[1,2)", "(1,2)"));
        assertFalse(strict("(1,2,3)", "(1,2)"));
    }

    @Test
    void simpleExpressionsAreComparedSymbolically() {
        assertTrue(strict("2\\sqrt{2}", "\\sqrt{8}"));
        assertTrue(strict("x^2+2x+1", "(x+1)^2"));
        assertTrue(strict("\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}"));
        assertFalse(strict("x^2+2x", "(x+1)^2"));
        assertEquals(new Verdict(false, "incorrect (no answer)"), grader.gradeStrict(null, "1"));
    }

    @Test
    void prm800kNormalFormsOfLatex() {
        Prm800kNormalizer prm = new Prm800kNormalizer();
        assertEquals("1/2", prm.normalize("\\frac{1}{2}"));
        assertEquals("(x+1)/2", prm.normalize("\\frac{x+1}{2}"));
        assertEquals("2sqrt(2)", prm.normalize("2\\sqrt{2}"));
        assertEquals("1+1/2", prm.normalize("1\\frac{1}{2}"));
        assertEquals("12", prm.normalize("12.0"));
        assertEquals("10*10^6", prm.normalize("10 million"));
    }
}
