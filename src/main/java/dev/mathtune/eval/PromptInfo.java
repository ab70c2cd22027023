package dev.mathtune.eval;

import java.util.List;

/**
 * A registered prompt as listed by {@code mathtune eval --list-prompts}: name, one-line description, default
 * number of shots (0 for zero-shot), the training split its examples come from, relative to the data folder
 * ({@code null} when it needs none), and its stop strings.
 */
public record PromptInfo(String name, String description, int defaultShots, String trainingSplit, List<String> stop) {
    public PromptInfo {
        stop = List.copyOf(stop);
    }

    public boolean needsTrainingSplit() {
        return trainingSplit != null;
    }
}
