package dev.mathtune.eval.grade;

/**
 * A brace-matched LaTeX group {@code {…}}: its {@code content} (without the outer braces) and {@code end}, the index just
 * past the closing brace. A backslash escapes the character after it, so {@code \{} / {@code \}} do not count towards
 * the nesting depth, and {@code \\{} (a LaTeX line break, then a group) does.
 */
public record BracedGroup(String content, int end) {

    /**
     * The group opening at {@code text.charAt(open)}, which must be {@code '{'}; {@code null} when the braces never
     * balance (a truncated completion).
     */
    public static BracedGroup at(String text, int open) {
        if (open >= text.length() || text.charAt(open) != '{') {
            return null;
        }
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                i++;                          // a backslash escapes the next character: \{ \} and \\ alike
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return new BracedGroup(text.substring(open + 1, i), i + 1);
            }
        }
        return null;
    }

    /** Index of the first non-space character at or after {@code from}. */
    static int skipSpaces(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }
}
