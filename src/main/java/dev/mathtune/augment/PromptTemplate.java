package dev.mathtune.augment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A teacher prompt kept as a resource under {@code dev/mathtune/augment/prompts/<kind>/<name>.txt}, with
 * {@code {question}} and {@code {solution}} placeholders (all other braces, e.g. LaTeX, are left alone).
 */
public record PromptTemplate(String name, String text) {
    private static final java.util.regex.Pattern PLACEHOLDER = java.util.regex.Pattern.compile("\\{(question|solution)}");

    /** The evolution prompt of {@code op} for {@code kind}. */
    public static PromptTemplate evolution(DatasetKind kind, EvolutionOp op) {
        if (!op.evolves()) {
            throw new IllegalArgumentException(op.wireName() + " has no evolution prompt");
        }
        return load(kind, op.wireName());
    }

    /** The response-augmentation prompt (step-by-step reasoning in the dataset's answer format). */
    public static PromptTemplate solve(DatasetKind kind) {
        return load(kind, "solve");
    }

    /** Loads {@code prompts/<kind>/<name>.txt} from the classpath. */
    public static PromptTemplate load(DatasetKind kind, String name) {
        String resource = "prompts/" + kind.wireName() + "/" + name + ".txt";
        try (InputStream in = PromptTemplate.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing prompt resource dev/mathtune/augment/" + resource);
            }
            return new PromptTemplate(kind.wireName() + "/" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The prompt with the placeholders filled in ({@code solution} may be null: it becomes empty). */
    public String render(String question, String solution) {
        String q = question.strip();
        String s = solution == null ? "" : solution.strip();
        return PLACEHOLDER.matcher(text)
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(m.group(1).equals("question") ? q : s))
                .strip();
    }
}
