package dev.mathtune.eval;

import java.nio.file.Path;
import java.util.Set;

/**
 * Choices for building a prompt: {@code shots} ({@code -1} = the prompt's default), the {@code seed} that picks
 * the examples, the training split to draw from ({@code null} for zero-shot prompts), questions never to use
 * as examples (the evaluation questions), and the dataset kind (published protocols pick their example lists
 * by it; {@code null} = unknown).
 */
public record PromptOptions(int shots, long seed, Path trainFile, Set<String> excludeQuestions, DatasetKind kind) {
    public PromptOptions {
        excludeQuestions = excludeQuestions == null ? Set.of() : Set.copyOf(excludeQuestions);
    }

    public PromptOptions(int shots, long seed, Path trainFile, Set<String> excludeQuestions) {
        this(shots, seed, trainFile, excludeQuestions, null);
    }

    public static PromptOptions defaults() {
        return new PromptOptions(-1, 1234L, null, Set.of());
    }

    public PromptOptions withKind(DatasetKind newKind) {
        return new PromptOptions(shots, seed, trainFile, excludeQuestions, newKind);
    }
}
