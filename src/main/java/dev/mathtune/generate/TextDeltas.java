package dev.mathtune.generate;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The text of one sequence as its tokens arrive, cut into deltas a client may show at once. Two things are held
 * back: the bytes of a UTF-8 character that a byte-level BPE token left incomplete, and any end of the text that
 * could still grow into one of the stop strings; a stop string itself is never shown. The deltas add up to the
 * final text ({@link StopCondition#text}: the decoded completion cut before its first stop string).
 *
 * <p>Incomplete characters are found as Hugging Face text-generation-inference's {@code decode_token} finds them:
 * decode a short window of recent tokens with and without the newest ones, and release the difference only when it
 * does not end in U+FFFD, the replacement character the decoder writes for an incomplete byte sequence. Each step
 * decodes a few tokens, not the whole text.
 */
public final class TextDeltas {
    private static final char REPLACEMENT = '\uFFFD';

    private final Function<int[], String> decoder;
    private final List<String> stops;
    private int[] tokens = new int[16];
    private int count;
    private int prefixOffset; // window start: the text before it is settled
    private int readOffset;   // tokens before it are in `stable`
    private final StringBuilder stable = new StringBuilder(); // text of tokens[0..readOffset), complete characters
    private int shown;        // chars of `stable` handed out
    private boolean stopped;  // a stop string appeared: nothing more is shown

    /** @param decoder token ids to text, special tokens included (the decoder stop strings are matched on) */
    public TextDeltas(Function<int[], String> decoder, List<String> stops) {
        this.decoder = decoder;
        this.stops = List.copyOf(stops);
    }

    /** Appends a token; returns the text that can now be shown (often empty). */
    public String add(int token) {
        if (count == tokens.length) tokens = Arrays.copyOf(tokens, count * 2);
        tokens[count++] = token;
        if (stopped) return "";
        String before = decoder.apply(Arrays.copyOfRange(tokens, prefixOffset, readOffset));
        String now = decoder.apply(Arrays.copyOfRange(tokens, prefixOffset, count));
        if (now.length() <= before.length() || now.charAt(now.length() - 1) == REPLACEMENT) return "";
        stable.append(now, before.length(), now.length());
        prefixOffset = readOffset;
        readOffset = count;
        return release();
    }

    /** The rest of {@code finalText} (the sequence's whole text once it ended) after what was already shown. */
    public String finish(String finalText) {
        return finalText.length() > shown ? finalText.substring(shown) : "";
    }

    /** Hands out the settled text up to a stop string, or up to the longest end that could begin one. */
    private String release() {
        int end = stable.length();
        for (String s : stops) {
            int at = stable.indexOf(s, shown);
            if (at >= 0 && at < end) {
                end = at;
                stopped = true;
            }
        }
        if (!stopped) end -= heldBack();
        String delta = end > shown ? stable.substring(shown, end) : "";
        shown = Math.max(shown, end);
        return delta;
    }

    /** Length of the longest end of the settled, unshown text that is a proper beginning of a stop string. */
    private int heldBack() {
        int longest = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, stable.length() - shown); k > longest; k--) {
                if (endsWith(stable, s, k)) {
                    longest = k;
                    break;
                }
            }
        }
        return longest;
    }

    /** Whether {@code text} ends with the first {@code k} characters of {@code s}. */
    private static boolean endsWith(CharSequence text, String s, int k) {
        int from = text.length() - k;
        for (int i = 0; i < k; i++) if (text.charAt(from + i) != s.charAt(i)) return false;
        return true;
    }
}
