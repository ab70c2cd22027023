package dev.mathtune.experiment.demo;

import java.util.random.RandomGenerator;

/** A family of word problems (shopping, sharing, ...) that can be built at difficulty levels 1 to 3. */
public interface ProblemTemplate {
    /** The highest level a template supports. */
    int MAX_LEVEL = 3;

    /** A short lower-case name, stored in {@link Problem#template()}. */
    String name();

    /**
     * Builds a scenario with {@code level} steps.
     *
     * @param level       1 (one operation, small numbers) to {@link #MAX_LEVEL} (three steps)
     * @param contextSeed chooses the people and objects; the same seed gives the same context
     * @param numbers     chooses the numbers
     * @throws IllegalArgumentException if the level is out of range
     */
    Scenario create(int level, long contextSeed, RandomGenerator numbers);

    /** Checks a level argument. */
    static void requireLevel(int level) {
        if (level < 1 || level > MAX_LEVEL) {
            throw new IllegalArgumentException("level must be 1.." + MAX_LEVEL + ", got " + level);
        }
    }

    /** A uniform integer in {@code [min, max]}, both inclusive. */
    static int between(RandomGenerator random, int min, int max) {
        return random.nextInt(min, max + 1);
    }

    /** One element chosen uniformly. */
    static <T> T pick(RandomGenerator random, java.util.List<T> options) {
        return options.get(random.nextInt(options.size()));
    }
}
