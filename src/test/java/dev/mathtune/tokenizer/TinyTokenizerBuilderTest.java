package dev.mathtune.tokenizer;

import dev.mathtune.generate.ChatMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TinyTokenizerBuilderTest {
    @TempDir
    static Path dir;
    private static Tokenizer tokenizer;

    static List<String> corpus() {
        List<String> corpus = new ArrayList<>();
        String[] names = {"Natalia", "James", "Weng", "Betty", "Julie"};
        for (int i = 0; i < 300; i++) {
            corpus.add(names[i % names.length] + " sold " + (i * 7 % 97) + " clips in April, and then she sold half as many"
                    + " clips in May. How many clips did " + names[(i + 1) % names.length] + " sell altogether?\n"
                    + "The answer is " + (i * 13 % 1000) + ".");
        }
        String[] syllables = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "zen", "pho", "qua", "ber", "dox", "wy"};
        Random random = new Random(7);
        for (int i = 0; i < 400; i++) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 8; w++) {
                for (int k = 1 + random.nextInt(3); k > 0; k--) {
                    line.append(syllables[random.nextInt(syllables.length)]);
                }
                line.append(w % 3 == 2 ? ", " : " ");
            }
            corpus.add(line.toString());
        }
        return corpus;
    }

    @BeforeAll
    static void build() {
        new TinyTokenizerBuilder(512).write(corpus(), dir);
        tokenizer = Tokenizer.load(dir);
    }

    @Test
    void hasTheRequestedVocabSizeAndSpecialTokens() {
        assertTrue(Files.isRegularFile(dir.resolve("tokenizer_config.json")));
        assertEquals(512, tokenizer.vocabSize());
        assertEquals(509, tokenizer.tokenId("<|endoftext|>").getAsInt());
        assertEquals(510, tokenizer.tokenId("<|im_start|>").getAsInt());
        assertEquals(511, tokenizer.tokenId("<|im_end|>").getAsInt());
        assertEquals(Set.of(511), tokenizer.eosIds());
        assertEquals(509, tokenizer.padId());
        assertArrayEquals(new int[]{510}, tokenizer.encode("<|im_start|>"));
        assertArrayEquals(new int[]{511}, tokenizer.encode("<|im_end|>"));
    }

    @Test
    void learnedMergesCompressCorpusWords() {
        assertEquals(1, tokenizer.encode(" clips").length);
        assertTrue(tokenizer.encode("Natalia sold clips").length <= 4);
    }

    @Test
    void numbersTokenizeDigitByDigit() {
        int[] ids = tokenizer.encode("12345");
        assertEquals(5, ids.length);
        assertEquals("3", tokenizer.decode(new int[]{ids[2]}));
    }

    @Test
    void roundTripsArbitraryText() {
        List<String> texts = new ArrayList<>(List.of("", "a", "  two  spaces\t\ttabs\r\nCRLF\n\n",
                "x = 3.14159 * r^2; 1,000,000 - 42 = -41", "naïve café — “quotes” ½ ∑ √2 π≈3.14",
                "数学题：小明有3个苹果。", "emoji 🧮🎉 and combining e\u0301", "\u0000\u0001\u007f control", "\\frac{1}{2}$$"));
        Random random = new Random(42);
        for (int n = 0; n < 50; n++) {
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                int cp = random.nextInt(4) == 0 ? random.nextInt(0x3000) : 32 + random.nextInt(95);
                if (Character.isValidCodePoint(cp) && !Character.isSurrogate((char) cp)) {
                    s.appendCodePoint(cp);
                }
            }
            texts.add(s.toString());
        }
        for (String text : texts) {
            assertEquals(text, tokenizer.decode(tokenizer.encode(text)), text);
        }
    }

    @Test
    void chatTemplateRendersChatMlThatTokenizesWithSpecialIds() {
        String prompt = tokenizer.chatTemplate().render(List.of(ChatMessage.user("1+1?")), true);
        assertEquals("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n"
                + "<|im_start|>assistant\n", prompt);
        int[] ids = tokenizer.encode(prompt);
        assertEquals(510, ids[0]);
        assertEquals(prompt, tokenizer.decode(ids));
    }

    @Test
    void rejectsTooSmallCorpusAndVocab(@TempDir Path other) {
        assertThrows(IllegalArgumentException.class, () -> new TinyTokenizerBuilder(100));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TinyTokenizerBuilder(2000).write(List.of("ab ab"), other));
        assertTrue(e.getMessage().contains("corpus too small"), e.getMessage());
    }
}
