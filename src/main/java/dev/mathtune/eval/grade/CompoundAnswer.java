package dev.mathtune.eval.grade;

import java.util.ArrayList;
import java.util.List;

/**
 * The structure of a normalised answer: a single {@link Kind#SCALAR}, an {@link Kind#ORDERED} tuple or interval
 * ({@code (1,2]}, with its {@code open}/{@code close} brackets), an {@link Kind#UNORDERED} list of answers
 * ({@code 1, -2} or the set {@code \{1,-2\}}), a {@link Kind#MATRIX} ({@code \begin{pmatrix}a&b\\c&d\end{pmatrix}},
 * {@code open} holding its shape {@code "2x2"}), or a {@link Kind#UNION} of intervals joined by {@code \cup}.
 * An element {@code a\pm b} stands for the two answers {@code a+b}, {@code a-b}.
 */
public record CompoundAnswer(Kind kind, String open, String close, List<String> elements) {

    public enum Kind { SCALAR, ORDERED, UNORDERED, MATRIX, UNION }

    private static final java.util.regex.Pattern MATRIX = java.util.regex.Pattern.compile(
            "\\\\begin\\{([pbvB]?matrix|array)\\}(?:\\{[^}]*\\})?(.*)\\\\end\\{\\1\\}", java.util.regex.Pattern.DOTALL);

    /** The structure of {@code s}, a normalised answer. */
    public static CompoundAnswer parse(String s) {
        java.util.regex.Matcher m = MATRIX.matcher(s);
        if (m.matches()) {
            return matrix(m.group(2));
        }
        List<String> pieces = splitTopLevel(s, "\\cup");
        if (pieces.size() > 1) {
            return new CompoundAnswer(Kind.UNION, "", "", pieces);
        }
        if (s.startsWith("\\{") && s.endsWith("\\}") && enclosesAll(s, 2, s.length() - 2)) {
            return new CompoundAnswer(Kind.UNORDERED, "{", "}", expandPlusMinus(splitTopLevel(inner(s, 2, 2), ",")));
        }
        if (s.startsWith("\\langle") && s.endsWith("\\rangle")) {
            return new CompoundAnswer(Kind.ORDERED, "(", ")", splitTopLevel(inner(s, 7, 7), ","));
        }
        if (s.length() > 2 && "([".indexOf(s.charAt(0)) >= 0 && ")]".indexOf(s.charAt(s.length() - 1)) >= 0
                && enclosesAll(s, 1, s.length() - 1)) {
            List<String> inside = splitTopLevel(inner(s, 1, 1), ",");
            if (inside.size() > 1) {
                return new CompoundAnswer(Kind.ORDERED, s.substring(0, 1), s.substring(s.length() - 1), inside);
            }
        }
        List<String> list = expandPlusMinus(splitTopLevel(s, ","));
        return list.size() > 1 ? new CompoundAnswer(Kind.UNORDERED, "", "", list)
                : new CompoundAnswer(Kind.SCALAR, "", "", List.of(s));
    }

    private static CompoundAnswer matrix(String body) {
        List<String> rows = splitTopLevel(body, "\\\\");
        rows.removeIf(String::isBlank);
        List<String> cells = new ArrayList<>();
        int cols = -1;
        for (String row : rows) {
            List<String> rowCells = splitTopLevel(row, "&");
            cols = cols < 0 || cols == rowCells.size() ? rowCells.size() : -2;
            cells.addAll(rowCells);
        }
        return new CompoundAnswer(Kind.MATRIX, rows.size() + "x" + cols, "", cells);
    }

    /** Splits {@code s} at {@code separator} where no bracket ({@code ( [ \{ {}) is open; pieces are stripped. */
    static List<String> splitTopLevel(String s, String separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ("([{".indexOf(c) >= 0) {
                depth++;
            } else if (")]}".indexOf(c) >= 0) {
                depth--;
            } else if (depth == 0 && s.startsWith(separator, i)
                    && !(separator.equals(",") && i > 0 && s.charAt(i - 1) == '\\')) {
                parts.add(s.substring(start, i).strip());
                start = i + separator.length();
                i = start - 1;
            }
        }
        parts.add(s.substring(start).strip());
        return parts;
    }

    /** Whether the bracket opened just before {@code from} closes only at {@code to} (so it encloses everything). */
    private static boolean enclosesAll(String s, int from, int to) {
        int depth = 1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if ("([{".indexOf(c) >= 0) {
                depth++;
            } else if (")]}".indexOf(c) >= 0 && --depth == 0) {
                return false;
            }
        }
        return true;
    }

    private static String inner(String s, int dropStart, int dropEnd) {
        return s.substring(dropStart, s.length() - dropEnd);
    }

    private static List<String> expandPlusMinus(List<String> elements) {
        List<String> out = new ArrayList<>();
        for (String e : elements) {
            int pm = e.indexOf("\\pm");
            if (pm >= 0 && e.indexOf("\\pm", pm + 3) < 0) {
                out.add((e.substring(0, pm) + "+" + e.substring(pm + 3)).strip());
                out.add((e.substring(0, pm) + "-" + e.substring(pm + 3)).strip());
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
