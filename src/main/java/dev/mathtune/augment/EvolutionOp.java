package dev.mathtune.augment;

import java.util.ArrayList;
import java.util.List;

/**
 * How a question is augmented. The five evolution operations of AugGSM8K / AugMATH (MuggleMath) each ask a
 * teacher to rewrite the question; {@link #ORIGINAL} keeps the question and only samples new reasoning paths
 * (RFT-style rejection sampling against the gold answer).
 */
public enum EvolutionOp {
    ORIGINAL("original"),
    CHANGE_NUMBERS("change-numbers"),
    FRACTIONS_PERCENTAGES("fractions-percentages"),
    COMBINE_CONCEPTS("combine-concepts"),
    ADD_CONDITION("add-condition"),
    INCREASE_COMPLEXITY("increase-complexity");

    private final String wireName;

    EvolutionOp(String wireName) {
        this.wireName = wireName;
    }

    /** The five question-evolving operations, in the paper's order. */
    public static List<EvolutionOp> evolutions() {
        return List.of(CHANGE_NUMBERS, FRACTIONS_PERCENTAGES, COMBINE_CONCEPTS, ADD_CONDITION, INCREASE_COMPLEXITY);
    }

    /** Parses a wire name such as {@code change-numbers}. */
    public static EvolutionOp parse(String name) {
        for (EvolutionOp op : values()) {
            if (op.wireName.equalsIgnoreCase(name.trim())) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown augmentation op '" + name + "' (expected one of "
                + String.join(", ", wireNames(List.of(values()))) + ")");
    }

    /** Parses a comma-separated list; {@code all} means the five evolutions. */
    public static List<EvolutionOp> parseList(String names) {
        if (names.trim().equalsIgnoreCase("all")) {
            return evolutions();
        }
        List<EvolutionOp> ops = new ArrayList<>();
        for (String name : names.split(",")) {
            if (!name.isBlank()) {
                ops.add(parse(name));
            }
        }
        return ops;
    }

    static List<String> wireNames(List<EvolutionOp> ops) {
        return ops.stream().map(EvolutionOp::wireName).toList();
    }

    /** The kebab-case name used in files, flags and provenance. */
    public String wireName() {
        return wireName;
    }

    /** Whether the teacher rewrites the question (every op but {@link #ORIGINAL}). */
    public boolean evolves() {
        return this != ORIGINAL;
    }
}
