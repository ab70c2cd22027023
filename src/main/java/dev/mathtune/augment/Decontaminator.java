package dev.mathtune.augment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mathtune.UserError;
import dev.mathtune.data.DatasetFiles;
import dev.mathtune.data.DatasetRow;
import dev.mathtune.data.DatasetRows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Flags texts that overlap benchmark test questions: a text is contaminated when it shares a word n-gram
 * (default 13 words, over {@link TextNormalizer#words}) with any test question, or, for a test question
 * shorter than n words, when it contains all of that question's words in order and contiguously.
 */
public final class Decontaminator {
    public static final int DEFAULT_NGRAM = 13;

    private final int n;
    private final Set<String> grams = new HashSet<>();
    private final List<String> shortTexts = new ArrayList<>();
    private final int questions;

    private Decontaminator(int n, Collection<String> testQuestions) {
        if (n < 1) {
            throw new IllegalArgumentException("n-gram size must be >= 1, got " + n);
        }
        this.n = n;
        for (String q : testQuestions) {
            List<String> words = TextNormalizer.words(q);
            if (words.size() < n) {
                if (!words.isEmpty()) {
                    shortTexts.add(" " + String.join(" ", words) + " ");
                }
            } else {
                for (int i = 0; i + n <= words.size(); i++) {
                    grams.add(String.join(" ", words.subList(i, i + n)));
                }
            }
        }
        this.questions = testQuestions.size();
    }

    /** A decontaminator over the given test questions. */
    public static Decontaminator of(Collection<String> testQuestions, int n) {
        return new Decontaminator(n, testQuestions);
    }

    /** One that flags nothing. */
    public static Decontaminator none() {
        return new Decontaminator(DEFAULT_NGRAM, List.of());
    }

    /**
     * Reads test questions from dataset files (JSON Lines, JSON or Parquet; files or globs, see
     * {@link DatasetRows}): each row's {@code question} (GSM8K) or {@code problem} (MATH,
     * MATH500) field.
     */
    public static Decontaminator fromFiles(List<Path> files, int n) throws IOException {
        List<String> questions = new ArrayList<>();
        for (Path file : files) {
            readQuestions(file, questions);
        }
        return new Decontaminator(n, questions);
    }

    private static void readQuestions(Path file, List<String> into) {
        if (!DatasetFiles.isGlob(file) && !Files.isRegularFile(file)) {
            throw UserError.inFile(file, "no such file (decontamination set)");
        }
        for (DatasetRow row : DatasetRows.read(file, 0)) {
            JsonNode q = row.fields().hasNonNull("question") ? row.fields().get("question") : row.fields().get("problem");
            if (q == null || !q.isTextual()) {
                throw row.error("question", "no 'question' or 'problem' string field");
            }
            into.add(q.asText());
        }
    }

    /** The first overlapping n-gram (or whole short test question), if any. */
    public Optional<String> match(String text) {
        List<String> words = TextNormalizer.words(text);
        for (int i = 0; i + n <= words.size(); i++) {
            String gram = String.join(" ", words.subList(i, i + n));
            if (grams.contains(gram)) {
                return Optional.of(gram);
            }
        }
        if (!shortTexts.isEmpty()) {
            String padded = " " + String.join(" ", words) + " ";
            for (String s : shortTexts) {
                if (padded.contains(s)) {
                    return Optional.of(s.strip());
                }
            }
        }
        return Optional.empty();
    }

    public boolean isContaminated(String text) {
        return match(text).isPresent();
    }

    /** How many test questions were indexed. */
    public int questionCount() {
        return questions;
    }

    public int ngram() {
        return n;
    }
}
