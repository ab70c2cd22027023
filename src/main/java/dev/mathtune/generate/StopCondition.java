package dev.mathtune.generate;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * When a sequence ends: an EOS id, one of the stop strings appearing in the decoded completion, or the token
 * budget. Stop strings are searched in the decoded tail only (the last few tokens), so checking is O(1) a step.
 * The decoder should give the raw text, special tokens included, so that a stop string may be a special token
 * ({@code <|im_end|>}) that is not among the checkpoint's EOS ids.
 */
public final class StopCondition {
    private final Set<Integer> eosIds;
    private final Function<int[], String> decoder;

    /** @param decoder token ids to text; may be null when no request uses stop strings */
    public StopCondition(Set<Integer> eosIds, Function<int[], String> decoder) {
        this.eosIds = Set.copyOf(eosIds);
        this.decoder = decoder;
    }

    public boolean isEos(int token) {
        return eosIds.contains(token);
    }

    /** Whether the completion so far ({@code tokens[0..n)}) contains one of {@code stops} in its recent tail. */
    public boolean hitsStop(int[] tokens, int n, List<String> stops) {
        if (stops.isEmpty() || decoder == null) return false;
        int longest = 0;
        for (String s : stops) longest = Math.max(longest, s.length());
        int from = Math.max(0, n - longest - 4); // a token is at least one char (multi-byte chars need a margin)
        String tail = decoder.apply(java.util.Arrays.copyOfRange(tokens, from, n));
        for (String s : stops) if (tail.contains(s)) return true;
        return false;
    }

    /** Decoded text of {@code tokens}, cut before the first stop string. */
    public String text(int[] tokens, List<String> stops) {
        if (decoder == null) return "";
        String text = decoder.apply(tokens);
        int cut = text.length();
        for (String s : stops) {
            int i = text.indexOf(s);
            if (i >= 0) cut = Math.min(cut, i);
        }
        return text.substring(0, cut);
    }
}
