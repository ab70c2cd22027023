package dev.mathtune.eval.grade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class AnswerExtractorTest {

    private final AnswerExtractor extractor = new AnswerExtractor();

    private void assertExtracts(String completion, String answer, String rule) {
        assertEquals(new Extraction(answer, rule), extractor.extract(completion), completion);
    }

    @Test
    void lastBoxedWinsAndKeepsNestedBraces() {
        assertExtracts("First \\boxed{3}, then finally $\\boxed{\\frac{\\sqrt{2}}{2}}$.", "\\frac{\\sqrt{2}}{2}", "boxed");
        assertExtracts("So $\\boxed{\\left\\{ 1, 2 \\right\\}}$", "\\left\\{ 1, 2 \\right\\}", "boxed");
        assertExtracts("\\boxed{\\begin{pmatrix} 1 \\\\ {2} \\end{pmatrix}} done", "\\begin{pmatrix} 1 \\\\ {2} \\end{pmatrix}",
                "boxed");
    }

    @Test
    void boxedWithoutBracesAndFbox() {
        assertExtracts("The answer is therefore $\\boxed 5$.", "5", "boxed");
        assertExtracts("Result: \\fbox{x+1}", "x+1", "boxed");
    }

    @Test
    void unbalancedBoxFallsBackToAnEarlierCompleteOne() {
        assertExtracts("\\boxed{7} and later \\boxed{\\frac{1}{2", "7", "boxed");
    }

    @Test
    void minervaFinalAnswer() {
        assertExtracts("Final Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.", "\\frac{3}{4}",
                "final answer");
    }

    @Test
    void gsm8kHashesStripThousandsCommas() {
        assertExtracts("She earns 2,000 + 125 = <<2000+125=2125>>2,125 dollars.\n#### 2,125", "2125", "####");
        assertExtracts("#### -12", "-12", "####");
    }

    @Test
    void theAnswerIs() {
        assertExtracts("So, the answer is 42 apples. Done.", "42 apples", "the answer is");
        assertExtracts("Thus the answer is $x^2+1$ as required", "x^2+1", "the answer is");
        assertExtracts("**Answer:** 17", "17", "the answer is");
    }

    @Test
    void bareAnswerIsTakenWhole() {
        assertExtracts("\\frac{1}{2}", "\\frac{1}{2}", "whole");
        assertExtracts(" 18 dollars ", "18 dollars", "whole");
        assertExtracts("\\text{Devon and Cara}", "\\text{Devon and Cara}", "whole");
    }

    @Test
    void lastNumberFallback() {
        assertExtracts("We get 3 then 4, and in total 1,234.5 cookies", "1234.5", "last number");
        assertExtracts("half is 1/2", "1/2", "last number");
        assertExtracts("the temperature is -7 now", "-7", "last number");
    }

    @Test
    void nothingFound() {
        assertEquals(Extraction.none(), extractor.extract("I do not know."));
        assertFalse(extractor.extract("").found());
        assertFalse(extractor.extract(null).found());
    }

    @Test
    void lastMathEnvironmentOutsideABox() {
        assertExtracts("We get\n\\[ x = \\frac{1}{2} \\]\nwhich checks out", "x = \\frac{1}{2}", "math");
        assertExtracts("Therefore $x \\geq 5$ is the solution.", "x \\geq 5", "math");
        assertExtracts("So it is \\( (9+1) \\)", "(9+1)", "math");
        assertExtracts("Thus $$\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}$$", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "math");
    }

    @Test
    void dollarAmountsInProseAreNotMath() {
        assertExtracts("She earns $18 and pays $5 for food, so she keeps 13", "13", "last number");
    }

    @Test
    void severalBoxesOnTheLastLineAreOneList() {
        assertExtracts("The roots are $\\boxed{1}$ and $\\boxed{-2}$.", "1, -2", "boxed");
        assertExtracts("First we find \\boxed{3}.\n\nSo the answer is \\boxed{4}", "4", "boxed");
    }

    @Test
    void gsm8kStyleAnswers() {
        assertExtracts("Q: ...\nA: 18", "18", "the answer is");
        assertExtracts("Adding them, the answer is 35 + 5 = 40.", "35 + 5 = 40", "the answer is");
        assertExtracts("Final Answer: The largest $n$ is 34.", "34", "the answer is");
    }
}
