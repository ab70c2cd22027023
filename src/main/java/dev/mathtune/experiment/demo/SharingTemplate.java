package dev.mathtune.experiment.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static dev.mathtune.experiment.demo.ProblemTemplate.between;
import static dev.mathtune.experiment.demo.ProblemTemplate.pick;

/** Sharing equally: a division (1), boxes then a division (2), boxes, keeping some, then a division (3). */
public final class SharingTemplate implements ProblemTemplate {
    private static final List<String> THINGS = List.of("cookies", "stickers", "apples", "pencils", "candies", "cards");
    private static final List<String> GROUPS = List.of("friends", "classmates", "cousins", "neighbors");

    @Override
    public String name() {
        return "sharing";
    }

    @Override
    public Scenario create(int level, long contextSeed, RandomGenerator numbers) {
        ProblemTemplate.requireLevel(level);
        var context = new SplittableRandom(contextSeed);
        Person p = Person.pick(context);
        String things = pick(context, THINGS);
        String group = pick(context, GROUPS);
        int people = between(numbers, 2, 9);
        int each = between(numbers, 2, Math.min(12, 99 / people));
        int shared = people * each;
        int kept = level == 3 ? keptSoTotalIsComposite(shared, numbers) : 0;
        int total = shared + kept;
        List<Step> steps = new ArrayList<>();
        String setup;
        if (level == 1) {
            setup = p.name() + " has " + total + " " + things + ".";
        } else {
            int boxes = boxCount(total, numbers);
            setup = p.name() + " has " + boxes + " boxes of " + total / boxes + " " + things + ".";
            steps.add(new Step("total number of " + things, boxes, Operation.TIMES, total / boxes));
        }
        if (level == 3) {
            setup += " " + p.capitalSubject() + " keeps " + kept + " and shares the rest equally among "
                    + people + " " + group + ".";
            steps.add(new Step("number of " + things + " to share", total, Operation.MINUS, kept));
        } else {
            setup += " " + p.capitalSubject() + " shares them equally among " + people + " " + group + ".";
        }
        String one = group.substring(0, group.length() - 1);
        steps.add(new Step("number of " + things + " per " + one, shared, Operation.DIVIDE, people));
        return new Scenario(name(), level, contextSeed, setup, "How many " + things + " does each " + one + " get?",
                "the number of " + things + " each " + one + " gets", steps);
    }

    private static int keptSoTotalIsComposite(int shared, RandomGenerator numbers) {
        while (true) {
            int kept = between(numbers, 1, 9);
            if (boxDivisors(shared + kept).size() > 0) {
                return kept;
            }
        }
    }

    private static int boxCount(int total, RandomGenerator numbers) {
        return pick(numbers, boxDivisors(total));
    }

    private static List<Integer> boxDivisors(int total) {
        List<Integer> divisors = new ArrayList<>();
        for (int d = 2; d <= Math.min(9, total / 2); d++) {
            if (total % d == 0) {
                divisors.add(d);
            }
        }
        return divisors;
    }
}
