package dev.mathtune.eval.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AnswerNormalizerTest {

    private final AnswerNormalizer n = new AnswerNormalizer();

    @Test
    void dropsFormattingCommands() {
        assertEquals("\\frac{1}{2}", n.normalize("$\\dfrac{1}{2}$"));
        assertEquals("\\frac{1}{2}", n.normalize("\\tfrac12"));
        assertEquals("(3,\\frac{\\pi}{2})", n.normalize("\\left( 3, \\frac{\\pi}{2} \\right)"));
        assertEquals("4", n.normalize("\\!\\,4\\;\\quad"));
        assertEquals("\\sqrt{2}", n.normalize("\\sqrt2"));
    }

    @Test
    void dropsUnitsDegreesPercentAndMoney() {
        assertEquals("30", n.normalize("30^\\circ"));
        assertEquals("30", n.normalize("30°"));
        assertEquals("25", n.normalize("25\\%"));
        assertEquals("18.90", n.normalize("\\$18.90"));
        assertEquals("12", n.normalize("12 \\text{ cm}^2"));
        assertEquals("18", n.normalize("18 apples"));
        assertEquals("5\\sqrt{2}", n.normalize("5\\sqrt{2}\\mbox{ inches}"));
    }

    @Test
    void removesThousandsSeparatorsAndTrailingPeriod() {
        assertEquals("10080", n.normalize("10,\\!080"));
        assertEquals("10080", n.normalize("10{,}080"));
        assertEquals("1234567", n.normalize("1,234,567."));
        assertEquals("3,5,7", n.normalize("3, 5, 7"));
    }

    @Test
    void mixedNumbersAndWords() {
        assertEquals("2\\frac{1}{2}", n.normalize("2 1/2"));
        assertEquals("Devon", n.normalize("\\text{Devon}"));
        assertEquals("1,2", n.normalize("1 \\text{ or } 2"));
        assertEquals("\\pi r", n.normalize("\\pi  r"));
    }
}
