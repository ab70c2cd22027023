package dev.mathtune.experiment.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import static dev.mathtune.experiment.demo.ProblemTemplate.between;

/** Shopping totals: price times quantity (1), plus a second item (2), change from a bill (3). */
public final class ShoppingTemplate implements ProblemTemplate {
    private static final int[] BILLS = {20, 50, 100, 200, 500};

    @Override
    public String name() {
        return "shopping";
    }

    @Override
    public Scenario create(int level, long contextSeed, RandomGenerator numbers) {
        ProblemTemplate.requireLevel(level);
        var context = new SplittableRandom(contextSeed);
        Person p = Person.pick(context);
        ShopItem item = ShopItem.pick(context);
        ShopItem extra = ShopItem.pickOther(context, item);
        int quantity = between(numbers, 2, 9);
        int price = item.price(numbers);
        List<Step> steps = new ArrayList<>();
        StringBuilder setup = new StringBuilder(p.name() + " buys " + quantity + " " + item.plural()
                + ". Each " + item.singular() + " costs $" + price + ".");
        steps.add(new Step("cost of the " + item.plural(), quantity, Operation.TIMES, price));
        if (level >= 2) {
            int extraPrice = extra.price(numbers);
            setup.append(" ").append(p.capitalSubject()).append(" also buys a ").append(extra.singular())
                    .append(" for $").append(extraPrice).append(".");
            steps.add(new Step("total cost", steps.get(0).result(), Operation.PLUS, extraPrice));
        }
        if (level == 3) {
            long total = steps.get(1).result();
            int bill = smallestBillAbove(total);
            setup.append(" ").append(p.capitalSubject()).append(" pays with a $").append(bill).append(" bill.");
            steps.add(new Step("change", bill, Operation.MINUS, total));
            return new Scenario(name(), level, contextSeed, setup.toString(),
                    "How many dollars of change does " + p.subject() + " get?", "the change " + p.name() + " gets", steps);
        }
        return new Scenario(name(), level, contextSeed, setup.toString(),
                "How many dollars does " + p.subject() + " pay?", "the amount " + p.name() + " pays", steps);
    }

    private static int smallestBillAbove(long total) {
        for (int bill : BILLS) {
            if (bill > total) {
                return bill;
            }
        }
        throw new IllegalStateException("total too large for a bill: " + total);
    }
}
