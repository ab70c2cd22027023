package dev.mathtune.experiment.demo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A seeded generator of short GSM8K-format word problems for the CPU demo.
 *
 * <p>Every problem comes from a {@link ProblemTemplate} chosen uniformly; its solution has one line per step,
 * {@code "a op b = <<a op b=c>>c"}, and a last line {@code "#### c"}. The same seed gives the same list; the
 * questions of one list are distinct, and {@link #generateHeldOut} avoids the questions of a given set.
 */
public final class SyntheticProblems {
    private final Map<String, ProblemTemplate> templates = new LinkedHashMap<>();

    /** A generator over the six standard templates. */
    public SyntheticProblems() {
        this(List.of(new ShoppingTemplate(), new SharingTemplate(), new RateTemplate(), new AgeTemplate(),
                new SpendingTemplate(), new CollectionTemplate()));
    }

    /** A generator over the given templates (names must be distinct). */
    public SyntheticProblems(List<? extends ProblemTemplate> templates) {
        for (ProblemTemplate t : templates) {
            if (this.templates.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate template name: " + t.name());
            }
        }
        if (this.templates.isEmpty()) {
            throw new IllegalArgumentException("no templates");
        }
    }

    /** The templates, in the order given. */
    public List<ProblemTemplate> templates() {
        return List.copyOf(templates.values());
    }

    /** The template with this name. */
    public ProblemTemplate template(String name) {
        ProblemTemplate t = templates.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no template named '" + name + "'; known: " + templates.keySet());
        }
        return t;
    }

    /** {@code count} problems of {@code level} (1 to 3) with distinct questions, written in {@link Phrasing#EQUATION}. */
    public List<Problem> generate(int level, int count, long seed) {
        return write(scenarios(level, count, seed, Set.of()));
    }

    /** Like {@link #generate}, but no question equals a question of {@code train}: a disjoint test set. */
    public List<Problem> generateHeldOut(int level, int count, long seed, Collection<Problem> train) {
        return generateHeldOut(level, count, seed, train, 0);
    }

    /**
     * Like {@link #generateHeldOut(int, int, long, Collection)}, keeping only problems in which every number
     * (in the question and in every step) is at most {@code maxNumber} (0: no limit) — small enough arithmetic
     * for a tiny model to learn in minutes.
     */
    public List<Problem> generateHeldOut(int level, int count, long seed, Collection<Problem> train, int maxNumber) {
        Set<String> excluded = new HashSet<>();
        train.forEach(p -> excluded.add(p.question()));
        return write(scenarios(level, count, seed, excluded, maxNumber));
    }

    /** Whether every integer written in the problem's question and solution is at most {@code maxNumber}. */
    public static boolean withinNumbers(Problem p, int maxNumber) {
        if (maxNumber <= 0) return true;
        java.util.regex.Matcher m = NUMBER.matcher(p.question() + "\n" + p.answer());
        while (m.find()) {
            if (m.group().length() > 9 || Long.parseLong(m.group()) > maxNumber) return false;
        }
        return true;
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("\\d+");

    /**
     * {@code count} scenarios of {@code level} with distinct questions, none in {@code excludedQuestions};
     * the raw material of {@link SyntheticEvolution}.
     *
     * @throws IllegalStateException if that many distinct questions cannot be found
     */
    public List<Scenario> scenarios(int level, int count, long seed, Set<String> excludedQuestions) {
        return scenarios(level, count, seed, excludedQuestions, 0);
    }

    /** As {@link #scenarios(int, int, long, Set)}, with every number at most {@code maxNumber} (0: no limit). */
    public List<Scenario> scenarios(int level, int count, long seed, Set<String> excludedQuestions, int maxNumber) {
        ProblemTemplate.requireLevel(level);
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        List<ProblemTemplate> order = templates();
        var random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * level));
        Set<String> seen = new HashSet<>();
        List<Scenario> out = new ArrayList<>(count);
        long attempts = 0;
        long maxAttempts = (maxNumber > 0 ? 2000L : 100L) * count + 1000;
        while (out.size() < count) {
            if (++attempts > maxAttempts) {
                throw new IllegalStateException("found only " + out.size() + " distinct level-" + level
                        + " questions of " + count + " asked");
            }
            ProblemTemplate t = order.get(random.nextInt(order.size()));
            Scenario s = t.create(level, random.nextLong(), random.split());
            if (!excludedQuestions.contains(s.question()) && withinNumbers(s.toProblem(Phrasing.EQUATION), maxNumber)
                    && seen.add(s.question())) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<Problem> write(List<Scenario> scenarios) {
        return scenarios.stream().map(s -> s.toProblem(Phrasing.EQUATION)).toList();
    }
}
