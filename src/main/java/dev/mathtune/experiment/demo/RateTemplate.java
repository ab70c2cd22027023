package dev.mathtune.experiment.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static dev.mathtune.experiment.demo.ProblemTemplate.between;
import static dev.mathtune.experiment.demo.ProblemTemplate.pick;

/** Rates and time: rate times hours (1), hours added first (2), per day, days, minus some sold (3). */
public final class RateTemplate implements ProblemTemplate {
    /** A worker and what it produces. */
    private record Worker(String noun, String verbs, String verb, String things) {
    }

    private static final List<Worker> WORKERS = List.of(
            new Worker("machine", "makes", "make", "toys"),
            new Worker("baker", "bakes", "bake", "cakes"),
            new Worker("printer", "prints", "print", "posters"),
            new Worker("farmer", "picks", "pick", "apples"),
            new Worker("robot", "packs", "pack", "boxes"));

    @Override
    public String name() {
        return "rate";
    }

    @Override
    public Scenario create(int level, long contextSeed, RandomGenerator numbers) {
        ProblemTemplate.requireLevel(level);
        Worker w = pick(new SplittableRandom(contextSeed), WORKERS);
        int rate = between(numbers, 2, level == 3 ? 40 : 60);
        String first = "A " + w.noun() + " " + w.verbs() + " " + rate + " " + w.things() + " every hour.";
        String phrase = "the number of " + w.things() + " the " + w.noun() + " " + w.verbs();
        List<Step> steps = new ArrayList<>();
        if (level == 1) {
            int hours = between(numbers, 2, 9);
            steps.add(new Step("number of " + w.things(), rate, Operation.TIMES, hours));
            return new Scenario(name(), level, contextSeed, first, "How many " + w.things() + " does the "
                    + w.noun() + " " + w.verb() + " in " + hours + " hours?", phrase, steps);
        }
        if (level == 2) {
            int morning = between(numbers, 2, 6);
            int afternoon = between(numbers, 2, 6);
            steps.add(new Step("number of hours", morning, Operation.PLUS, afternoon));
            steps.add(new Step("number of " + w.things(), rate, Operation.TIMES, morning + afternoon));
            String setup = first + " The " + w.noun() + " works " + morning + " hours in the morning and " + afternoon
                    + " hours in the afternoon.";
            return new Scenario(name(), level, contextSeed, setup, "How many " + w.things() + " does the "
                    + w.noun() + " " + w.verb() + " in total?", phrase, steps);
        }
        int hours = between(numbers, 2, 8);
        int days = between(numbers, 2, 7);
        steps.add(new Step("number of " + w.things() + " per day", rate, Operation.TIMES, hours));
        steps.add(new Step("number of " + w.things() + " in " + days + " days", rate * hours, Operation.TIMES, days));
        int sold = between(numbers, 1, rate * hours * days / 2);
        steps.add(new Step("number of " + w.things() + " not sold", rate * hours * days, Operation.MINUS, sold));
        String setup = first + " The " + w.noun() + " works " + hours + " hours a day for " + days + " days. " + sold
                + " of the " + w.things() + " are sold.";
        return new Scenario(name(), level, contextSeed, setup, "How many " + w.things() + " are not sold?",
                "the number of " + w.things() + " not sold", steps);
    }
}
