package dev.mathtune.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * maj@n: the most frequent extracted answer among a problem's samples. Answers are compared after removing
 * whitespace; {@code null} (nothing extracted) never wins. Ties go to the answer that appeared first (lowest
 * sample index), so the vote is deterministic.
 */
public final class MajorityVote {
    private MajorityVote() {
    }

    /** The index in {@code answers} of the first occurrence of the winning answer, or -1 if all are null. */
    public static int winner(List<String> answers) {
        Map<String, Integer> counts = new HashMap<>();
        Map<String, Integer> first = new HashMap<>();
        for (int i = 0; i < answers.size(); i++) {
            String key = key(answers.get(i));
            if (key != null) {
                counts.merge(key, 1, Integer::sum);
                first.putIfAbsent(key, i);
            }
        }
        int best = -1;
        int bestCount = 0;
        for (var e : counts.entrySet()) {
            int at = first.get(e.getKey());
            if (e.getValue() > bestCount || (e.getValue() == bestCount && at < best)) {
                best = at;
                bestCount = e.getValue();
            }
        }
        return best;
    }

    static String key(String answer) {
        if (answer == null) {
            return null;
        }
        String key = answer.replaceAll("\\s+", "");
        return key.isEmpty() ? null : key;
    }
}
