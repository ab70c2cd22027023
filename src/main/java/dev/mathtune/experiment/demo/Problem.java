package dev.mathtune.experiment.demo;

import java.util.Objects;

/**
 * One GSM8K-format word problem.
 *
 * @param question    the problem text
 * @param answer      the step-by-step solution with calculator annotations ({@code <<a+b=c>>}) and a last line {@code #### N}
 * @param finalAnswer the exact integer answer, equal to {@code N}
 * @param level       the number of reasoning steps (1 to 3 for generated problems; evolution may add one)
 * @param template    the name of the template that produced it (for example {@code "shopping"})
 */
public record Problem(String question, String answer, long finalAnswer, int level, String template) {
    public Problem {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(template, "template");
    }
}
