package dev.mathtune.experiment.demo;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A word problem before it is written out: its setup, its question, and the steps that solve it.
 * Keeping the parts apart lets {@link SyntheticEvolution} change numbers, add a condition or add a step.
 *
 * @param template     the template name
 * @param level        the template level (1 to 3) the scenario was built at
 * @param contextSeed  the seed that chose names and objects, so a variant can keep them
 * @param setup        the sentences that state the facts
 * @param ask          the question sentence, ending with {@code ?}
 * @param answerPhrase a noun phrase for the asked quantity (for example {@code "the money Mia has left"})
 * @param steps        the solution steps; the last result is the answer
 */
public record Scenario(String template, int level, long contextSeed, String setup, String ask,
                       String answerPhrase, List<Step> steps) {
    public Scenario {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(setup, "setup");
        Objects.requireNonNull(ask, "ask");
        Objects.requireNonNull(answerPhrase, "answerPhrase");
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a scenario needs at least one step");
        }
    }

    /** The exact answer: the result of the last step. */
    public long finalAnswer() {
        return steps.get(steps.size() - 1).result();
    }

    /** The question text: setup then ask. */
    public String question() {
        return setup + " " + ask;
    }

    /** Writes the scenario as a GSM8K problem with one line per step in the given phrasing. */
    public Problem toProblem(Phrasing phrasing) {
        String lines = steps.stream().map(phrasing::write).collect(Collectors.joining("\n"));
        return new Problem(question(), lines + "\n#### " + finalAnswer(), finalAnswer(), steps.size(), template);
    }
}
