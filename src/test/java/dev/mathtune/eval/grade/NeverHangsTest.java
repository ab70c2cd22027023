package dev.mathtune.eval.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pathological answers end within the 2 s budget and leave the grader working. */
class NeverHangsTest {

    private static final MathAnswerGrader GRADER = MathAnswerGrader.math();

    @BeforeAll
    static void warmUp() {
        SymbolicEquivalence.shared().warmUp();
    }

    private static long millis(Runnable r) {
        long start = System.nanoTime();
        r.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void slowSimplificationTimesOutAndTheNextGradeWorks() {
        String big = "(a+b+c+d+e+1)^{60}";
        String other = "(a+b+c+d+e+2)^{60}-(a-b)^{59}";
        Verdict[] v = new Verdict[1];
        long elapsed = millis(() -> v[0] = GRADER.grade(big, other));
        assertEquals(new Verdict(false, "incorrect (timeout)"), v[0]);
        assertTrue(elapsed < 2500, "took " + elapsed + " ms");
        assertEquals(new Verdict(true, "symbolic"), GRADER.grade("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}"));
        assertEquals(new Verdict(true, "symbolic"), GRADER.grade("(x+1)^2", "x^2+2x+1"));
    }

    @Test
    void exponentTowersEndQuickly() {
        Verdict[] v = new Verdict[1];
        long elapsed = millis(() -> v[0] = GRADER.grade("10^{10^{10^{10}}}", "9^{9^{9^{9}}}"));
        assertFalse(v[0].correct(), v[0].toString());
        assertTrue(elapsed < 2500, "took " + elapsed + " ms");
        assertTrue(GRADER.grade("2^{10}", "1024").correct());
    }

    @Test
    void deeplyNestedInputEndsQuickly() {
        String nested = "\\sqrt{".repeat(3000) + "2" + "}".repeat(3000);
        Verdict[] v = new Verdict[1];
        long elapsed = millis(() -> v[0] = GRADER.grade(nested, "\\sqrt{3}"));
        assertFalse(v[0].correct(), v[0].toString());
        assertTrue(elapsed < 2500, "took " + elapsed + " ms");
        assertTrue(GRADER.grade("\\sqrt{12}", "2\\sqrt{3}").correct());
    }
}
