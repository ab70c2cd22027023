package dev.mathtune.generate.calc;

import java.util.Optional;

/**
 * When to call the calculator: the text ends in an open annotation's left side, {@code <<EXPR=}, with no
 * {@code >>} after the last {@code <<} and no other {@code =} in {@code EXPR} (OpenAI's calculator takes the part
 * before the first {@code =} of the last open {@code <<}; it runs when the token just sampled is an {@code =}
 * token, here when the text ends in {@code =}).
 */
public final class OpenAnnotation {
    private OpenAnnotation() {
    }

    /** The expression {@code EXPR} when {@code text} ends in an open {@code <<EXPR=}. */
    public static Optional<String> expression(String text) {
        if (!text.endsWith("=")) return Optional.empty();
        int open = text.lastIndexOf("<<");
        if (open < 0) return Optional.empty();
        String inside = text.substring(open + 2, text.length() - 1);
        if (inside.contains(">>") || inside.contains("=")) return Optional.empty();
        return Optional.of(inside);
    }
}
