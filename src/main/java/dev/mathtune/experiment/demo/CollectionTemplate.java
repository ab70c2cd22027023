package dev.mathtune.experiment.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static dev.mathtune.experiment.demo.ProblemTemplate.between;
import static dev.mathtune.experiment.demo.ProblemTemplate.pick;

/** Multi-step combinations on a collection: two colours added (1), bags minus gifts (2), then times as many (3). */
public final class CollectionTemplate implements ProblemTemplate {
    private static final List<String> THINGS = List.of("marbles", "shells", "beads", "stamps", "buttons");
    private static final List<String> COLORS = List.of("red", "blue", "green", "white", "yellow");
    private static final List<String> RELATIVES = List.of("brother", "sister", "cousin", "friend");

    @Override
    public String name() {
        return "collection";
    }

    @Override
    public Scenario create(int level, long contextSeed, RandomGenerator numbers) {
        ProblemTemplate.requireLevel(level);
        var context = new SplittableRandom(contextSeed);
        Person p = Person.pick(context);
        String things = pick(context, THINGS);
        String color = pick(context, COLORS);
        String otherColor = pick(context, COLORS.stream().filter(c -> !c.equals(color)).toList());
        String relative = pick(context, RELATIVES);
        List<Step> steps = new ArrayList<>();
        if (level == 1) {
            int a = between(numbers, 5, 60);
            int b = between(numbers, 5, 60);
            steps.add(new Step("total number of " + things, a, Operation.PLUS, b));
            String setup = p.name() + " has " + a + " " + color + " " + things + " and " + b + " " + otherColor
                    + " " + things + ".";
            return new Scenario(name(), level, contextSeed, setup, "How many " + things + " does " + p.subject()
                    + " have?", "the number of " + things + " " + p.name() + " has", steps);
        }
        int bags = between(numbers, 2, 9);
        int perBag = between(numbers, 3, 15);
        int given = between(numbers, 1, bags * perBag / 2);
        steps.add(new Step("number of " + things + " in the bags", bags, Operation.TIMES, perBag));
        steps.add(new Step("number of " + things + " left", bags * perBag, Operation.MINUS, given));
        String setup = p.name() + " has " + bags + " bags with " + perBag + " " + things + " in each bag. "
                + p.capitalSubject() + " gives away " + given + " " + things + ".";
        if (level == 2) {
            return new Scenario(name(), level, contextSeed, setup, "How many " + things + " does " + p.subject()
                    + " have left?", "the number of " + things + " " + p.name() + " has left", steps);
        }
        int times = between(numbers, 2, 4);
        steps.add(new Step(relative + "'s " + things, bags * perBag - given, Operation.TIMES, times));
        setup += " " + p.capitalPossessive() + " " + relative + " has " + times + " times as many " + things
                + " as " + p.name() + " has left.";
        return new Scenario(name(), level, contextSeed, setup, "How many " + things + " does " + p.possessive() + " "
                + relative + " have?", "the number of " + things + " " + p.name() + "'s " + relative + " has", steps);
    }
}
