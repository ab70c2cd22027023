package dev.mathtune.augment;

import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PathSelectionTest {
    private static final PathSelection.Limits LIMITS = new PathSelection.Limits(100, 200);
    private final LastNumberGrader grader = new LastNumberGrader();

    private static List<Completion> paths(String... texts) {
        List<Completion> list = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            list.add(new Completion("p" + i, texts[i], List.of(), FinishReason.STOP, 10, 20, 0.1));
        }
        return list;
    }

    @Test
    void rejectionSamplingKeepsDistinctPathsMatchingGold() {
        PathSelection s = PathSelection.select(paths(
                "3 + 4 = 7\n#### 7", "3+4 = 7.\n#### 7", "4 + 3 = 7\n#### 7.0", "3 + 5 = 8\n#### 8", "no idea"),
                "7", grader, LIMITS, 1);
        assertEquals(QuestionOutcome.KEPT, s.outcome());
        assertEquals(List.of(0, 2), s.kept().stream().map(PathSelection.KeptPath::index).toList());
        assertEquals(Map.of(PathOutcome.KEPT, 2, PathOutcome.DUPLICATE, 1, PathOutcome.WRONG_ANSWER, 1,
                PathOutcome.NO_ANSWER, 1), s.paths());
        assertEquals(3, s.agree());
        assertEquals(5, s.of());
    }

    @Test
    void majorityVoteWithTooLongPathsAndTies() {
        List<Completion> c = new ArrayList<>(paths("2 * 5 = 10 so #### 10", "5 * 2 = 10\n#### 10",
                "2 + 9 = 11 #### 11", "x".repeat(300) + " #### 10"));
        c.add(new Completion("p4", "2 * 5 = 10, and then", List.of(), FinishReason.LENGTH, 10, 100, 0.1));
        PathSelection s = PathSelection.select(c, null, grader, LIMITS, 2);
        assertEquals(QuestionOutcome.KEPT, s.outcome());
        assertEquals("10", s.answer());
        assertEquals(Map.of(PathOutcome.KEPT, 2, PathOutcome.MINORITY, 1, PathOutcome.TOO_LONG, 2), s.paths());

        PathSelection tie = PathSelection.select(paths("#### 11", "#### 10", "#### 10", "#### 11"), null, grader, LIMITS, 1);
        assertEquals("11", tie.answer(), "ties go to the answer seen first");
    }

    @Test
    void lowAgreementDropsTheQuestionAndCountsEveryAnsweredPath() {
        PathSelection s = PathSelection.select(paths("#### 1", "#### 2", "#### 1", "nothing"), null, grader, LIMITS, 3);
        assertEquals(QuestionOutcome.LOW_AGREEMENT, s.outcome());
        assertEquals(Map.of(PathOutcome.LOW_AGREEMENT, 3, PathOutcome.NO_ANSWER, 1), s.paths());
        assertEquals(2, s.agree());
        assertEquals(List.of(), s.kept());
    }

    @Test
    void noCorrectPathMeansNoValidPath() {
        PathSelection s = PathSelection.select(paths("#### 1", "none"), "7", grader, LIMITS, 1);
        assertEquals(QuestionOutcome.NO_VALID_PATH, s.outcome());
        assertEquals(Map.of(PathOutcome.WRONG_ANSWER, 1, PathOutcome.NO_ANSWER, 1), s.paths());
    }

    @Test
    void signaturesUseCalculatorAnnotationsThenEquationsThenText() {
        assertEquals(PathSignature.of("a <<3*4=12>> b"), PathSignature.of("other words <<3 * 4 = 12>>"));
        assertEquals(PathSignature.of("So 1,200 + 30 = 1230 dollars."), PathSignature.of("We get 1200+30=1230"));
        assertEquals(PathSignature.of("The Answer is seven!"), PathSignature.of("the answer is   seven"));
        assertEquals("text:the answer is seven", PathSignature.of("The answer is seven.").value());
    }
}
