package dev.mathtune.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the Python-Jinja2 constructs of Hugging Face chat templates that Jinjava does not parse into equivalents
 * it does: reversed slices {@code xs[::-1]} become {@code xs|reverse}, and the keyword arguments of
 * {@code namespace(a=x - 1)} are parenthesised (Jinjava binds {@code =} tighter than arithmetic there).
 */
final class HfTemplateDialect {
    private static final Pattern KEYWORD_ARG = Pattern.compile("(?s)^(\\s*[A-Za-z_]\\w*\\s*)=(?!=)(.*)$");

    private HfTemplateDialect() {
    }

    /** The Jinjava-compatible form of {@code source}. */
    static String rewrite(String source) {
        return parenthesiseNamespaceArgs(source.replace("[::-1]", "|reverse"));
    }

    private static String parenthesiseNamespaceArgs(String source) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int at = source.indexOf("namespace(", from); at >= 0; at = source.indexOf("namespace(", from)) {
            int open = at + "namespace(".length();
            int close = matchingParen(source, open);
            if (close < 0) {
                break;
            }
            out.append(source, from, open);
            List<String> args = topLevelArgs(source.substring(open, close));
            for (int i = 0; i < args.size(); i++) {
                Matcher m = KEYWORD_ARG.matcher(args.get(i));
                out.append(i > 0 ? "," : "").append(m.matches() ? m.group(1) + "=(" + m.group(2).strip() + ")" : args.get(i));
            }
            out.append(')');
            from = close + 1;
        }
        return out.append(source.substring(from)).toString();
    }

    /** Index of the {@code )} closing the parenthesis opened just before {@code start}, skipping quoted text. */
    private static int matchingParen(String s, int start) {
        int depth = 1;
        char quote = 0;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if ((c == ')' || c == ']' || c == '}') && --depth == 0) {
                return c == ')' ? i : -1;
            }
        }
        return -1;
    }

    /** Splits an argument list at the commas not nested in brackets or quotes. */
    private static List<String> topLevelArgs(String s) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                args.add(s.substring(start, i));
                start = i + 1;
            }
        }
        if (!s.isBlank()) {
            args.add(s.substring(start));
        }
        return args;
    }
}
