package dev.mathtune.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The input questions that may be augmented: those that overlap no test question and are not (normalised)
 * duplicates of an earlier input. {@code read = contaminated + duplicate + used.size()}.
 */
public record InputScreen(int read, int contaminated, int duplicate, List<SeedQuestion> used) {

    /** Screens {@code inputs} in order, adding the normalised text of every used question to {@code seen}. */
    public static InputScreen of(List<SeedQuestion> inputs, Decontaminator decontaminator, Set<String> seen) {
        int contaminated = 0;
        int duplicate = 0;
        List<SeedQuestion> used = new ArrayList<>();
        for (SeedQuestion q : inputs) {
            if (decontaminator.isContaminated(q.question())) {
                contaminated++;
            } else if (!seen.add(TextNormalizer.normalize(q.question()))) {
                duplicate++;
            } else {
                used.add(q);
            }
        }
        return new InputScreen(inputs.size(), contaminated, duplicate, List.copyOf(used));
    }
}
