package dev.mathtune.augment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.mathtune.eval.BoxedAnswer;

class DatasetKindTest {

    @Test
    void goldAnswers() {
        assertEquals("2125", DatasetKind.GSM8K.goldAnswer("2,000 + 125 = <<2000+125=2125>>2,125\n#### 2,125"));
        assertEquals("-3", DatasetKind.GSM8K.goldAnswer("#### -3"));
        assertNull(DatasetKind.GSM8K.goldAnswer("no answer line"));
        assertEquals("\\frac{1}{2}", DatasetKind.MATH.goldAnswer("So $\\boxed{1}$... no, $\\boxed{\\frac{1}{2}}$."));
        assertNull(DatasetKind.MATH.goldAnswer("unbalanced \\boxed{3"));
    }

    @Test
    void boxedVariants() {
        assertEquals("5", BoxedAnswer.lastWellFormed("\\boxed 5$"));
        assertEquals("x^{2}", BoxedAnswer.lastWellFormed("\\fbox{x^{2}}"));
        assertEquals("3", BoxedAnswer.lastWellFormed("\\boxed{3} and later \\boxed{"), "an unclosed last box falls back");
        assertEquals("\\{1,2\\}", BoxedAnswer.lastWellFormed("\\boxed{ \\{1,2\\} } then \\boxed{}"), "escaped braces; empty box falls back");
        assertEquals("so \\boxed{\\frac{1}{2}}".length(), BoxedAnswer.endOfLast("so \\boxed{\\frac{1}{2}}."));
        assertEquals(-1, BoxedAnswer.endOfLast("\\boxed{open"));
    }

    @Test
    void trainingSolutionsEndInTheDatasetFormat() {
        assertEquals("3 + 4 = 7 apples.\n#### 7", DatasetKind.GSM8K.trainingSolution("3 + 4 = 7 apples.\n#### 7\n", "7"));
        assertEquals("So $1,200.\n#### 1200", DatasetKind.GSM8K.trainingSolution("So $1,200.", "$1,200"));
        assertEquals("It is $\\boxed{4}$.", DatasetKind.MATH.trainingSolution("It is $\\boxed{4}$.", "4"));
        assertTrue(DatasetKind.MATH.trainingSolution("It is 4.", "4").endsWith("$\\boxed{4}$."));
    }

    @Test
    void everyOpHasAPromptWithPlaceholdersAndAStrictFormat() {
        for (DatasetKind kind : DatasetKind.values()) {
            for (EvolutionOp op : EvolutionOp.evolutions()) {
                PromptTemplate t = PromptTemplate.evolution(kind, op);
                assertTrue(t.text().contains("{question}") && t.text().contains("{solution}"), t.name());
                assertTrue(t.text().contains(kind == DatasetKind.MATH ? "New problem:" : "New question:"), t.name());
                String rendered = t.render("Q {solution} text", "S $\\frac{1}{2}$");
                assertTrue(rendered.contains("Q {solution} text") && rendered.contains("S $\\frac{1}{2}$"), t.name());
            }
            assertTrue(PromptTemplate.solve(kind).text().contains(kind == DatasetKind.MATH ? "\\boxed{}" : "####"));
        }
        assertEquals(EvolutionOp.evolutions(), EvolutionOp.parseList("all"));
        assertEquals(java.util.List.of(EvolutionOp.ADD_CONDITION, EvolutionOp.CHANGE_NUMBERS),
                EvolutionOp.parseList("add-condition, change-numbers"));
    }
}
