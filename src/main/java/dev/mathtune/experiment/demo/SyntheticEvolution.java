package dev.mathtune.experiment.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The demo's stand-in for the study's AugGSM8K: evolves seed problems (new numbers, an added condition, one
 * more step) and writes each result in several phrasings of its reasoning path, so that the augmented
 * training set is really more varied than the seeds. Every answer is computed, never copied.
 */
public final class SyntheticEvolution {
    private static final int MAX_VALUE = 9999;
    private final SyntheticProblems source;

    /** An evolution that rebuilds scenarios with the templates of {@code source}. */
    public SyntheticEvolution(SyntheticProblems source) {
        this.source = source;
    }

    /**
     * The augmented set: for each seed, the seed itself and {@code variantsPerSeed} evolved variants, each
     * written in {@code phrasingsPerProblem} distinct phrasings (1 to 4). Variants whose question is in
     * {@code excludedQuestions} (a test set) or repeats an earlier one are replaced; deterministic for a seed.
     */
    public List<Problem> augment(List<Scenario> seeds, int variantsPerSeed, int phrasingsPerProblem, long seed,
                                 Set<String> excludedQuestions) {
        if (phrasingsPerProblem < 1 || phrasingsPerProblem > Phrasing.values().length) {
            throw new IllegalArgumentException("phrasingsPerProblem must be 1.." + Phrasing.values().length);
        }
        var random = new SplittableRandom(seed);
        Set<String> seen = new HashSet<>();
        List<Problem> out = new ArrayList<>();
        for (Scenario s : seeds) {
            seen.add(s.question());
            writeIn(s, phrasingsPerProblem, random, out);
            for (int v = 0; v < variantsPerSeed; v++) {
                Scenario variant = freshVariant(s, random, seen, excludedQuestions);
                if (variant != null) {
                    writeIn(variant, phrasingsPerProblem, random, out);
                }
            }
        }
        return out;
    }

    /** One evolution of {@code seed}, of a kind chosen uniformly. */
    public Scenario evolve(Scenario seed, RandomGenerator random) {
        Evolution[] kinds = Evolution.values();
        return evolve(seed, kinds[random.nextInt(kinds.length)], random);
    }

    /** One evolution of {@code seed} of the given kind. */
    public Scenario evolve(Scenario seed, Evolution kind, RandomGenerator random) {
        ProblemTemplate template = source.template(seed.template());
        return switch (kind) {
            case CHANGE_NUMBERS -> template.create(seed.level(), seed.contextSeed(), random);
            case ADD_CONDITION -> withCondition(seed, random);
            case INCREASE_COMPLEXITY -> seed.level() < ProblemTemplate.MAX_LEVEL
                    ? template.create(seed.level() + 1, seed.contextSeed(), random)
                    : withCondition(seed, random);
        };
    }

    /** Adds a last step that combines the asked quantity with one more number. */
    static Scenario withCondition(Scenario seed, RandomGenerator random) {
        long answer = seed.finalAnswer();
        int k = random.nextInt(2, 5);
        int choice = random.nextInt(3);
        Step step;
        String ask;
        if (choice == 0 && answer * k <= MAX_VALUE) {
            step = new Step("final result", answer, Operation.TIMES, k);
            ask = "What is " + k + " times " + seed.answerPhrase() + "?";
        } else if (choice == 1 && answer > 1) {
            k = random.nextInt(1, (int) Math.min(20, answer - 1) + 1);
            step = new Step("final result", answer, Operation.MINUS, k);
            ask = "What is " + seed.answerPhrase() + " minus " + k + "?";
        } else {
            k = random.nextInt(1, 21);
            step = new Step("final result", answer, Operation.PLUS, k);
            ask = "What is " + seed.answerPhrase() + " plus " + k + "?";
        }
        List<Step> steps = new ArrayList<>(seed.steps());
        steps.add(step);
        return new Scenario(seed.template(), seed.level(), seed.contextSeed(), seed.setup(), ask, "the final result", steps);
    }

    private Scenario freshVariant(Scenario seed, SplittableRandom random, Set<String> seen, Set<String> excluded) {
        for (int attempt = 0; attempt < 20; attempt++) {
            Scenario variant = evolve(seed, random);
            if (!excluded.contains(variant.question()) && seen.add(variant.question())) {
                return variant;
            }
        }
        return null;
    }

    private static void writeIn(Scenario s, int phrasings, RandomGenerator random, List<Problem> out) {
        List<Phrasing> order = new ArrayList<>(Arrays.asList(Phrasing.values()));
        for (int i = order.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            order.set(j, order.set(i, order.get(j)));
        }
        for (int i = 0; i < phrasings; i++) {
            out.add(s.toProblem(order.get(i)));
        }
    }
}
