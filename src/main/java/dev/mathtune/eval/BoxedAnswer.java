package dev.mathtune.eval;

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
        int boxed = text.lastIndexOf("\\boxed");
        int fbox = text.lastIndexOf("\\fbox");
        int start = Math.max(boxed, fbox);
        if (start < 0) {
            return null;
        }
        int at = start + (start == boxed ? "\\boxed" : "\\fbox").length();
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
        for (int end = text.length(); end > 0; ) {
            String before = text.substring(0, end);
            int at = Math.max(before.lastIndexOf("\\boxed"), before.lastIndexOf("\\fbox"));
            if (at < 0) return null;
            // last() of the text from this box on: the box at 'at' is then the last one
            String content = last(text.substring(at, nextBox(text, at)));
            if (content != null && !content.isBlank()) return content.strip();
            end = at;
        }
        return null;
    }

    /** Where the box after the one at {@code at} starts, or the end of the text. */
    private static int nextBox(String text, int at) {
        int b = text.indexOf("\\boxed", at + 1), f = text.indexOf("\\fbox", at + 1);
        int next = b < 0 ? f : f < 0 ? b : Math.min(b, f);
        return next < 0 ? text.length() : next;
    }

    /** The index just past the closing brace of the last {@code \boxed{…}} / {@code \fbox{…}}, or -1. */
    public static int endOfLast(String text) {
        int at = Math.max(text.lastIndexOf("\\boxed{"), text.lastIndexOf("\\fbox{"));
        if (at < 0) return -1;
        int open = text.indexOf('{', at);
        String inner = braced(text, open);
        return inner == null ? -1 : open + inner.length() + 2;
    }

    /** The text between the brace at {@code open} and its matching close brace, or {@code null} if unbalanced. */
    static String braced(String text, int open) {
        dev.mathtune.eval.grade.BracedGroup g = dev.mathtune.eval.grade.BracedGroup.at(text, open);
        return g == null ? null : g.content();
    }
}
