package dev.mathtune.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.mathtune.testing.TinyModels;
import dev.mathtune.tokenizer.Tokenizer;

/** The hold-back rules of streamed text: whole UTF-8 characters only, nothing that may still become a stop string. */
class TextDeltasTest {
    /**
     * A byte-level vocabulary as BPE builds one: each token id stands for the bytes of {@code PIECES[id]}, which
     * may cut a character; decoding joins the bytes and decodes them as UTF-8, an incomplete character becoming
     * U+FFFD (what the Rust tokenizers do for byte-level BPE).
     */
    private static final List<byte[]> PIECES = new ArrayList<>();
    private static final Function<int[], String> DECODE = ids -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) out.writeBytes(PIECES.get(id));
        return out.toString(StandardCharsets.UTF_8);
    };

    private static int piece(byte... bytes) {
        PIECES.add(bytes);
        return PIECES.size() - 1;
    }

    private static int piece(String text) {
        return piece(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds the tokens; returns the deltas, the final flush (after the StopCondition's final text) as the last. */
    private static List<String> stream(List<String> stops, int... tokens) {
        TextDeltas deltas = new TextDeltas(DECODE, stops);
        List<String> out = new ArrayList<>();
        for (int t : tokens) out.add(deltas.add(t));
        out.add(deltas.finish(new StopCondition(java.util.Set.of(), DECODE).text(tokens, stops)));
        return out;
    }

    @Test
    void aCharacterSplitOverTokensIsShownWhole() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);           // E2 82 AC
        byte[] smile = "😀".getBytes(StandardCharsets.UTF_8);          // F0 9F 98 80
        int a = piece("price "), e1 = piece(euro[0]), e2 = piece(euro[1], euro[2], (byte) '5');
        int s1 = piece(smile[0], smile[1]), s2 = piece(smile[2]), s3 = piece(smile[3]), end = piece("!");
        List<String> got = stream(List.of(), a, e1, e2, s1, s2, s3, end);
        assertEquals(List.of("price ", "", "€5", "", "", "😀", "!", ""), got);
    }

    @Test
    void aStopStringSplitOverTokensIsNeverShown() {
        int x = piece("The answer is 4"), h1 = piece("2\n#"), h2 = piece("#"), h3 = piece("# 42"), more = piece(" and");
        List<String> got = stream(List.of("###"), x, h1, h2, h3, more);
        // "2\n" goes out at once; "#" and "##" might still become "###"; once it does, nothing more is shown
        assertEquals(List.of("The answer is 4", "2\n", "", "", "", ""), got);
        assertEquals("The answer is 42\n", String.join("", got));
    }

    @Test
    void aStartOfAStopStringThatTurnsOutNotToBeOneIsReleased() {
        int x = piece("a <|im"), y = piece("_start"), z = piece("|> b");
        List<String> got = stream(List.of("<|im_end|>"), x, y, z);
        // "<|im" may become "<|im_end|>"; "<|im_start" no longer can, so it goes out with the next token
        assertEquals(List.of("a ", "<|im_start", "|> b", ""), got);
    }

    @Test
    void heldBackTextIsFlushedWhenTheSequenceEndsWithoutTheStop() {
        int x = piece("total: 1"), y = piece("2 #");
        List<String> got = stream(List.of("###", "STOP"), x, y);
        assertEquals(List.of("total: 1", "2 ", "#"), got);
    }

    @Test
    void theEarliestOfSeveralStopStringsCutsAndLaterTextIsNotShown() {
        int x = piece("x = 3.\nQ"), y = piece(": next");
        List<String> got = stream(List.of("Q:", "\n"), x, y);
        assertEquals(List.of("x = 3.", "", ""), got);
    }

    @Test
    void anIncompleteCharacterAtTheEndIsFlushedAsTheDecoderShowsIt() {
        byte[] pi = "π".getBytes(StandardCharsets.UTF_8);
        int x = piece("r"), y = piece(pi[0]);
        List<String> got = stream(List.of(), x, y);
        assertEquals(List.of("r", "", "\uFFFD"), got);
    }

    @Test
    void onTheTinyTokenizerTheDeltasAddUpToTheTextAndNeverSplitACharacter() {
        try (Tokenizer tok = Tokenizer.load(TinyModels.tiny())) {
            String text = "Tom has 3 apples → 2×3 = 6 ✓ «π≈3.14» 😀 done. #### 6";
            int[] ids = tok.encode(text);
            Function<int[], String> decode = t -> tok.decode(t, false);
            assertTrue(ids.length > text.length() / 2, "the tiny vocabulary splits the non-ASCII characters");
            TextDeltas deltas = new TextDeltas(decode, List.of("####"));
            StringBuilder shown = new StringBuilder();
            int nonEmpty = 0;
            for (int id : ids) {
                String d = deltas.add(id);
                assertFalse(d.contains("\uFFFD"), "a delta split a character: '" + d + "'");
                assertFalse(d.contains("#"), "a delta showed part of the stop string: '" + d + "'");
                shown.append(d);
                if (!d.isEmpty()) nonEmpty++;
            }
            String fin = new StopCondition(java.util.Set.of(), decode).text(ids, List.of("####"));
            shown.append(deltas.finish(fin));
            assertEquals("Tom has 3 apples → 2×3 = 6 ✓ «π≈3.14» 😀 done. ", shown.toString());
            assertEquals(fin, shown.toString());
            assertTrue(nonEmpty >= 10, "deltas: " + nonEmpty);
        }
    }
}
