package dev.mathtune.experiment.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static dev.mathtune.experiment.demo.ProblemTemplate.between;
import static dev.mathtune.experiment.demo.ProblemTemplate.pick;

/** Money left after spending: one purchase (1), several of an item (2), weekly savings minus purchases (3). */
public final class SpendingTemplate implements ProblemTemplate {
    private static final List<String> TREATS = List.of("lunch", "a gift", "a movie", "a game", "flowers");

    @Override
    public String name() {
        return "spending";
    }

    @Override
    public Scenario create(int level, long contextSeed, RandomGenerator numbers) {
        ProblemTemplate.requireLevel(level);
        var context = new SplittableRandom(contextSeed);
        Person p = Person.pick(context);
        String treat = pick(context, TREATS);
        ShopItem item = ShopItem.pick(context);
        List<Step> steps = new ArrayList<>();
        String setup;
        String ask = "How many dollars does " + p.subject() + " have left?";
        String phrase = "the money " + p.name() + " has left";
        if (level == 1) {
            int money = between(numbers, 20, 99);
            int spent = between(numbers, 5, money - 1);
            steps.add(new Step("money left", money, Operation.MINUS, spent));
            setup = p.name() + " has $" + money + ". " + p.capitalSubject() + " spends $" + spent + " on " + treat + ".";
            return new Scenario(name(), level, contextSeed, setup, ask, phrase, steps);
        }
        int price = item.price(numbers);
        long savings;
        int quantity;
        if (level == 2) {
            quantity = between(numbers, 2, 6);
            savings = (quantity * price / 10 + 1) * 10L + 10L * between(numbers, 0, 4);
            setup = p.name() + " has $" + savings + ".";
        } else {
            int weekly = between(numbers, 15, 30);
            int weeks = between(numbers, 4, 9);
            savings = (long) weekly * weeks;
            quantity = between(numbers, 2, (int) Math.min(6, (savings - 1) / price));
            steps.add(new Step("money saved", weekly, Operation.TIMES, weeks));
            setup = p.name() + " saves $" + weekly + " each week for " + weeks + " weeks.";
        }
        setup += " " + p.capitalSubject() + " buys " + quantity + " " + item.plural() + " for $" + price + " each.";
        steps.add(new Step("cost of the " + item.plural(), quantity, Operation.TIMES, price));
        steps.add(new Step("money left", savings, Operation.MINUS, (long) quantity * price));
        return new Scenario(name(), level, contextSeed, setup, ask, phrase, steps);
    }
}
