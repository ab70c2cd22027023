package dev.mathtune.eval.grade;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inequality in a normalised answer (relation symbols already ASCII: {@code <}, {@code >}, {@code <=},
 * {@code >=}, {@code !=}), in a canonical form so that {@code x >= 5} and {@code 5 <= x} compare equal: the side
 * with letters goes left (the symbol mirrored). A chain {@code a < x < b} (or {@code a <= x <= b} ...) is the
 * interval {@code (a,b)} (or {@code [a,b]} ...) of the middle variable, so it equals that interval written out.
 */
record Relation(String left, String op, String right) {

    private static final Pattern OP = Pattern.compile("<=|>=|!=|<|>");
    private static final Pattern LETTER = Pattern.compile("[A-Za-z]");

    /** The single relation in {@code s}, canonical; {@code null} when {@code s} has none or more than one. */
    static Relation parse(String s) {
        List<String> ops = OP.matcher(s).results().map(m -> m.group()).toList();
        if (ops.size() != 1) {
            return null;
        }
        Matcher m = OP.matcher(s);
        m.find();
        String l = s.substring(0, m.start()).strip();
        String r = s.substring(m.end()).strip();
        if (l.isEmpty() || r.isEmpty()) {
            return null;
        }
        boolean flip = !LETTER.matcher(l).find() && LETTER.matcher(r).find();
        return flip ? new Relation(r, mirror(m.group()), l) : new Relation(l, m.group(), r);
    }

    /** {@code a < x < b} (both symbols pointing the same way) as the interval of x; else {@code null}. */
    static String chainAsInterval(String s) {
        Matcher m = OP.matcher(s);
        if (!m.find()) {
            return null;
        }
        String first = m.group();
        int firstStart = m.start();
        int firstEnd = m.end();
        if (!m.find()) {
            return null;
        }
        String second = m.group();
        String low = s.substring(0, firstStart).strip();
        String high = s.substring(m.end()).strip();
        if (m.find() || low.isEmpty() || high.isEmpty() || first.startsWith("!") || second.startsWith("!")
                || first.charAt(0) != second.charAt(0)) {
            return null;
        }
        if (first.startsWith(">")) {
            return (second.equals(">=") ? "[" : "(") + high + "," + low + (first.equals(">=") ? "]" : ")");
        }
        return (first.equals("<=") ? "[" : "(") + low + "," + high + (second.equals("<=") ? "]" : ")");
    }

    private static String mirror(String op) {
        return switch (op) {
            case "<" -> ">";
            case ">" -> "<";
            case "<=" -> ">=";
            case ">=" -> "<=";
            default -> op;
        };
    }
}
