package dev.mathtune.experiment.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static dev.mathtune.experiment.demo.ProblemTemplate.between;
import static dev.mathtune.experiment.demo.ProblemTemplate.pick;

/** Ages: older by (1), times as old then years later (2), a younger sibling first (3). */
public final class AgeTemplate implements ProblemTemplate {
    private static final List<String> ELDERS = List.of("mother", "father", "aunt", "uncle");
    private static final List<String> SIBLINGS = List.of("brother", "sister", "cousin");

    @Override
    public String name() {
        return "age";
    }

    @Override
    public Scenario create(int level, long contextSeed, RandomGenerator numbers) {
        ProblemTemplate.requireLevel(level);
        var context = new SplittableRandom(contextSeed);
        Person p = Person.pick(context);
        String elder = pick(context, ELDERS);
        String sibling = pick(context, SIBLINGS);
        List<Step> steps = new ArrayList<>();
        if (level == 1) {
            int age = between(numbers, 5, 15);
            int older = between(numbers, 20, 40);
            steps.add(new Step(elder + "'s age", age, Operation.PLUS, older));
            String setup = p.name() + " is " + age + " years old. " + p.capitalPossessive() + " " + elder + " is "
                    + older + " years older than " + p.object() + ".";
            return new Scenario(name(), level, contextSeed, setup, "How old is " + p.possessive() + " " + elder + "?",
                    "the age of " + p.name() + "'s " + elder, steps);
        }
        int later = between(numbers, 2, 9);
        int times = between(numbers, 3, 5);
        String setup;
        String youngest;
        if (level == 2) {
            int age = between(numbers, 7, 14);
            steps.add(new Step(elder + "'s age", age, Operation.TIMES, times));
            setup = p.name() + " is " + age + " years old.";
            youngest = p.object();
        } else {
            int age = between(numbers, 10, 16);
            int younger = between(numbers, 1, 5);
            steps.add(new Step(sibling + "'s age", age, Operation.MINUS, younger));
            steps.add(new Step(elder + "'s age", age - younger, Operation.TIMES, times));
            setup = p.name() + " is " + age + " years old. " + p.capitalPossessive() + " " + sibling + " is "
                    + younger + " years younger.";
            youngest = p.possessive() + " " + sibling;
        }
        setup += " " + p.capitalPossessive() + " " + elder + " is " + times + " times as old as " + youngest + ".";
        steps.add(new Step(elder + "'s age in " + later + " years", steps.get(steps.size() - 1).result(),
                Operation.PLUS, later));
        return new Scenario(name(), level, contextSeed, setup, "How old will " + p.possessive() + " " + elder
                + " be in " + later + " years?", "the age of " + p.name() + "'s " + elder + " in " + later + " years", steps);
    }
}
