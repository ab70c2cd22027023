package dev.mathtune.experiment.demo;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticProblemsTest {
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private final SyntheticProblems generator = new SyntheticProblems();

    @Test
    void everyAnnotationIsCorrectAndTheFinalAnswerIsTheLastComputation() {
        for (int level = 1; level <= 3; level++) {
            for (Problem p : generator.generate(level, 400, 7 + level)) {
                long last = SolutionChecker.check(p.answer());
                assertEquals(last, p.finalAnswer(), p.answer());
                assertEquals(level, p.level());
                assertEquals(level, p.answer().lines().count() - 1, "one line per step: " + p.answer());
            }
        }
    }

    @Test
    void theCheckerCatchesAWrongAnnotation() {
        assertThrows(AssertionError.class, () -> SolutionChecker.check("4 * 3 = <<4*3=13>>13\n#### 13"));
        assertThrows(AssertionError.class, () -> SolutionChecker.check("4 * 3 = <<4*3=12>>12\n#### 13"));
        assertEquals(14, SolutionChecker.evaluate("2+4*3"));
    }

    @Test
    void sameSeedSameProblemsOtherSeedOtherProblems() {
        assertEquals(generator.generate(2, 50, 42), new SyntheticProblems().generate(2, 50, 42));
        assertNotEquals(generator.generate(2, 50, 42), generator.generate(2, 50, 43));
    }

    @Test
    void questionsAreDistinctAndHeldOutSetIsDisjointFromTrain() {
        List<Problem> train = generator.generate(1, 1000, 1);
        Set<String> trainQuestions = train.stream().map(Problem::question).collect(Collectors.toSet());
        assertEquals(1000, trainQuestions.size());
        List<Problem> test = generator.generateHeldOut(1, 300, 1, train);
        assertEquals(300, test.size());
        assertTrue(test.stream().noneMatch(p -> trainQuestions.contains(p.question())));
    }

    @Test
    void problemsAreShortWithSmallNumbers() {
        for (int level = 1; level <= 3; level++) {
            for (Problem p : generator.generate(level, 400, level)) {
                assertTrue(words(p.question()) <= 40, p.question());
                assertTrue(words(p.answer()) <= 50, p.answer());
                Matcher m = NUMBER.matcher(p.question() + " " + p.answer());
                while (m.find()) {
                    assertTrue(m.group().length() <= 4, "number " + m.group() + " in " + p);
                    if (level == 1 && p.question().contains(m.group())) {
                        assertTrue(m.group().length() <= 2, "level-1 number " + m.group() + " in " + p.question());
                    }
                }
            }
        }
    }

    @Test
    void everyTemplateAppearsAtEveryLevel() {
        for (int level = 1; level <= 3; level++) {
            Set<String> seen = new HashSet<>();
            generator.generate(level, 200, 5).forEach(p -> seen.add(p.template()));
            assertEquals(Set.of("shopping", "sharing", "rate", "age", "spending", "collection"), seen);
        }
    }

    @Test
    void rejectsBadLevels() {
        assertThrows(IllegalArgumentException.class, () -> generator.generate(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> generator.generate(4, 1, 1));
    }

    static int words(String text) {
        return text.trim().split("\\s+").length;
    }
}
