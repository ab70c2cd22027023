package dev.mathtune.eval;

/**
 * The content of the last {@code \boxed{...}} (or {@code \fbox{...}}) in a LaTeX solution, braces matched so that
 * nested groups such as {@code \boxed{\frac{1}{2}}} come out whole.
 */
public final class BoxedAnswer {
    private BoxedAnswer() {
    }

    /** The last boxed content of {@code text}, or {@code null} if there is none or its braces never close. */
    public static String last(String text) {
        int start = Math.max(text.lastIndexOf("\\boxed"), text.lastIndexOf("\\fbox"));
        if (start < 0) {
            return null;
        }
        int open = text.indexOf('{', start);
        if (open < 0) {
            return null;
        }
        String between = text.substring(start, open);
        if (!between.equals("\\boxed") && !between.equals("\\fbox") && !between.equals("\\boxed ")) {
            return null;
        }
        return braced(text, open);
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
