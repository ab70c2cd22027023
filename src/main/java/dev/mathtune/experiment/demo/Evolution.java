package dev.mathtune.experiment.demo;

/** The kinds of query evolution that {@link SyntheticEvolution} applies, after the study's AugGSM8K. */
public enum Evolution {
    /** Same template, context and level; new numbers. */
    CHANGE_NUMBERS,
    /** The asked quantity is combined with one more number ("What is 3 times ...?"): one more step. */
    ADD_CONDITION,
    /** Same template and context one level up: one more step in the story (level 3 falls back to a condition). */
    INCREASE_COMPLEXITY
}
