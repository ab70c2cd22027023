package dev.mathtune.experiment.demo;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Something sold in a shop, with a plausible whole-dollar price range.
 *
 * @param singular the name of one
 * @param plural   the name of several
 * @param minPrice the lowest price in dollars
 * @param maxPrice the highest price in dollars
 */
public record ShopItem(String singular, String plural, int minPrice, int maxPrice) {
    private static final List<ShopItem> CATALOG = List.of(
            new ShopItem("pen", "pens", 1, 5),
            new ShopItem("notebook", "notebooks", 2, 9),
            new ShopItem("book", "books", 5, 19),
            new ShopItem("toy car", "toy cars", 3, 12),
            new ShopItem("shirt", "shirts", 8, 25),
            new ShopItem("ticket", "tickets", 4, 15),
            new ShopItem("cake", "cakes", 6, 20),
            new ShopItem("ball", "balls", 2, 10));

    /** An item chosen uniformly from the catalog. */
    public static ShopItem pick(RandomGenerator random) {
        return ProblemTemplate.pick(random, CATALOG);
    }

    /** An item different from {@code other}. */
    public static ShopItem pickOther(RandomGenerator random, ShopItem other) {
        ShopItem item;
        do {
            item = pick(random);
        } while (item.equals(other));
        return item;
    }

    /** A price in this item's range. */
    public int price(RandomGenerator random) {
        return ProblemTemplate.between(random, minPrice, maxPrice);
    }
}
