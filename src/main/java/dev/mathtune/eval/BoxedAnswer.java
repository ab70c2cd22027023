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

    /** The text between the brace at {@code open} and its matching close brace, or {@code null} if unbalanced. */
    static String braced(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                i++;
                continue;
            }
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return text.substring(open + 1, i);
            }
        }
        return null;
    }
}
