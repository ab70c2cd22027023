package dev.mathtune.experiment.demo;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticEvolutionTest {
    private final SyntheticProblems generator = new SyntheticProblems();
    private final SyntheticEvolution evolution = new SyntheticEvolution(generator);

    @Test
    void augmentedProblemsHaveCorrectAnswersAndStayShort() {
        List<Scenario> seeds = generator.scenarios(2, 100, 3, Set.of());
        List<Problem> augmented = evolution.augment(seeds, 3, 2, 11, Set.of());
        assertTrue(augmented.size() >= 100 * 2 * 3, "size " + augmented.size());
        for (Problem p : augmented) {
            assertEquals(SolutionChecker.check(p.answer()), p.finalAnswer(), p.answer());
            assertTrue(SyntheticProblemsTest.words(p.question()) <= 45, p.question());
            assertTrue(SyntheticProblemsTest.words(p.answer()) <= 70, p.answer());
        }
    }

    @Test
    void augmentationIsMoreVariedThanTheSeeds() {
        List<Scenario> seeds = generator.scenarios(2, 50, 3, Set.of());
        List<Problem> augmented = evolution.augment(seeds, 3, 3, 11, Set.of());
        Set<String> questions = augmented.stream().map(Problem::question).collect(Collectors.toSet());
        assertTrue(questions.size() >= 150, "distinct questions " + questions.size());
        Set<Integer> levels = augmented.stream().map(Problem::level).collect(Collectors.toSet());
        assertTrue(levels.containsAll(Set.of(2, 3)), "levels " + levels);
        long labelled = augmented.stream().filter(p -> p.answer().contains(": ")).count();
        long sentences = augmented.stream().filter(p -> p.answer().contains(" is ")).count();
        assertTrue(labelled > 0 && sentences > 0, "several phrasings of the reasoning path");
    }

    @Test
    void eachKindOfEvolutionDoesWhatItSays() {
        Scenario seed = generator.scenarios(1, 1, 8, Set.of()).get(0);
        var random = new SplittableRandom(1);
        Scenario changed = evolution.evolve(seed, Evolution.CHANGE_NUMBERS, random);
        assertEquals(seed.template(), changed.template());
        assertEquals(1, changed.steps().size());
        Scenario harder = evolution.evolve(seed, Evolution.INCREASE_COMPLEXITY, random);
        assertEquals(2, harder.steps().size());
        assertEquals(seed.template(), harder.template());
        Scenario conditioned = evolution.evolve(seed, Evolution.ADD_CONDITION, random);
        assertEquals(seed.steps(), conditioned.steps().subList(0, 1));
        assertEquals(seed.setup(), conditioned.setup());
        assertNotEquals(seed.ask(), conditioned.ask());
    }

    @Test
    void augmentationIsDeterministicAndAvoidsExcludedQuestions() {
        List<Scenario> seeds = generator.scenarios(1, 40, 3, Set.of());
        List<Problem> first = evolution.augment(seeds, 2, 1, 5, Set.of());
        assertEquals(first, new SyntheticEvolution(new SyntheticProblems()).augment(seeds, 2, 1, 5, Set.of()));
        Set<String> excluded = first.stream().skip(40).map(Problem::question).collect(Collectors.toSet());
        excluded.removeAll(seeds.stream().map(Scenario::question).toList());
        List<Problem> again = evolution.augment(seeds, 2, 1, 5, excluded);
        assertTrue(again.stream().noneMatch(p -> excluded.contains(p.question())));
    }
}
