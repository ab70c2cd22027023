package dev.mathtune.eval;

import dev.mathtune.eval.grade.BracedGroup;

/**
 * The content of the last {@code \boxed{...}} (or {@code \fbox{...}}) in a LaTeX solution, braces matched so that
 * nested groups such as {@code \boxed{\frac{1}{2}}} come out whole.
 */
public final class BoxedAnswer {
    private BoxedAnswer() {
    }

    /**
     * The last boxed content of {@code text}, or {@code null} if there is none or its braces never close.
     * The brace-less form {@code \boxed 2} gives the token after the space (up to whitespace or {@code $}).
     */
    public static String last(String text) {
        int start = lastBox(text, text.length());
        return start < 0 ? null : contentAt(text, start);
    }

    /** The start of the last {@code \boxed} / {@code \fbox} beginning at or before {@code from}, or -1. */
    private static int lastBox(String text, int from) {
        return Math.max(text.lastIndexOf("\\boxed", from), text.lastIndexOf("\\fbox", from));
    }

    /** The content of the box whose command starts at {@code start}, or {@code null} if it has none. */
    private static String contentAt(String text, int start) {
        int at = start + (text.startsWith("\\boxed", start) ? "\\boxed" : "\\fbox").length();
        int open = at;
        while (open < text.length() && text.charAt(open) == ' ') {
            open++;
        }
        if (open < text.length() && text.charAt(open) == '{') {
            return braced(text, open);
        }
        if (open == at) {
            return null;
        }
        int end = open;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
            end++;
        }
        return end > open ? text.substring(open, end) : null;
    }

    /**
     * Like {@link #last}, but a malformed or empty last box falls back to the box before it, and the content is
     * stripped: what a teacher's or model's solution most plausibly meant as its answer. {@code null} when no box
     * is well formed.
     */
    public static String lastWellFormed(String text) {
        if (text == null) return null;
        for (int at = lastBox(text, text.length()); at >= 0; at = lastBox(text, at - 1)) {
            String content = contentAt(text, at);
            if (content != null && !content.isBlank()) return content.strip();
        }
        return null;
    }

    /** The index just past the closing brace of the last {@code \boxed{…}} / {@code \fbox{…}}, or -1. */
    public static int endOfLast(String text) {
        int at = Math.max(text.lastIndexOf("\\boxed{"), text.lastIndexOf("\\fbox{"));
        BracedGroup group = at < 0 ? null : BracedGroup.at(text, text.indexOf('{', at));
        return group == null ? -1 : group.end();
    }

    /** The text between the brace at {@code open} and its matching close brace, or {@code null} if unbalanced. */
    static String braced(String text, int open) {
        BracedGroup g = BracedGroup.at(text, open);
        return g == null ? null : g.content();
    }
}
