package dev.mathtune.augment;

/**
 * Identifies one unit of work, done exactly once across restarts: augmenting source question
 * {@code sourceId} with {@code op} in round {@code round} (round 0 holds the {@link EvolutionOp#ORIGINAL} items,
 * round r+1 evolves the questions kept in round r).
 */
public record ItemKey(String sourceId, EvolutionOp op, int round) {

    /** The journal form, {@code sourceId|op|round}. */
    public String text() {
        return sourceId + "|" + op.wireName() + "|" + round;
    }

    /** The id of the question this item produces, e.g. {@code gsm8k:7/change-numbers@1}. */
    public String childId() {
        return sourceId + "/" + op.wireName() + "@" + round;
    }
}
