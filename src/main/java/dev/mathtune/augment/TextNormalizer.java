package dev.mathtune.augment;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The comparison form of a question or path: NFKC, lower case, every run of characters other than letters and
 * digits replaced by one space. Two questions are duplicates when their normalised texts are equal; n-grams for
 * decontamination are taken over its words.
 */
public final class TextNormalizer {
    private TextNormalizer() {
    }

    /** The normalised text: lower-case words separated by single spaces. */
    public static String normalize(String text) {
        String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return folded.replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /** The words of the normalised text (empty for a text without letters or digits). */
    public static List<String> words(String text) {
        String normalized = normalize(text);
        return normalized.isEmpty() ? List.of() : Arrays.asList(normalized.split(" "));
    }
}
