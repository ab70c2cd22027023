package dev.mathtune.augment;

/** The content of the last {@code \boxed{...}} (or {@code \fbox{...}}) in a text, braces matched. */
public final class BoxedAnswer {
    private BoxedAnswer() {
    }

    /** The last boxed content, trimmed; {@code null} when there is none or its braces are unbalanced. */
    public static String last(String text) {
        if (text == null) {
            return null;
        }
        int at = Math.max(text.lastIndexOf("\\boxed"), text.lastIndexOf("\\fbox"));
        while (at >= 0) {
            String content = contentAt(text, at);
            if (content != null) {
                return content;
            }
            at = Math.max(text.lastIndexOf("\\boxed", at - 1), text.lastIndexOf("\\fbox", at - 1));
        }
        return null;
    }

    private static String contentAt(String text, int at) {
        int i = at + (text.startsWith("\\boxed", at) ? "\\boxed".length() : "\\fbox".length());
        while (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        if (i >= text.length()) {
            return null;
        }
        if (text.charAt(i) != '{') {
            int end = i;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
                end++;
            }
            String bare = text.substring(i, end).strip();
            return bare.isEmpty() ? null : bare;
        }
        int depth = 0;
        for (int j = i; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                String inner = text.substring(i + 1, j).strip();
                return inner.isEmpty() ? null : inner;
            }
        }
        return null;
    }

    /** The index just past the closing brace of the last well-formed boxed answer, or -1. */
    static int endOfLast(String text) {
        int at = Math.max(text.lastIndexOf("\\boxed{"), text.lastIndexOf("\\fbox{"));
        if (at < 0) {
            return -1;
        }
        int depth = 0;
        for (int j = text.indexOf('{', at); j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return j + 1;
            }
        }
        return -1;
    }
}
