package dev.mathtune.eval.grade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Qwen2.5-Math's {@code math_equal(prediction, reference)} ({@code evaluation/grader.py}, commit a45202bd), in its
 * order: case-insensitive string equality; a multiple-choice letter; both numbers ({@code parse_digits}: commas
 * dropped, Python {@code float}, a trailing {@code %} divides by 100) → equal within relative 1e-4 to the reference,
 * the reference ÷ 100 or × 100, and otherwise <em>unequal</em> (no symbolic check follows); the reference turned into
 * a {@code pmatrix} when only the prediction is one; equal after deleting {@code {}()} (and outer {@code []} on one
 * side); {@code (…)}/{@code […]} split on commas and compared part by part whatever the brackets; {@code pmatrix}
 * entries cell by cell; {@code a = b} equations as {@code a - (b)} up to sign, a short left side {@code x =} dropped;
 * then {@code symbolic_equal}. Upstream parses with sympy's {@code parse_latex} and latex2sympy; here Symja stands in
 * ({@link SymbolicEquivalence}: equal strings, exact simplification, then numeric values within relative 1e-4), all
 * within one time budget as upstream's 3 s per-comparison limit: a timeout is unequal.
 */
public final class QwenMathEqual {

    /** Qwen's {@code evaluate.py} gives each {@code math_equal} call 3 s ({@code pool.map(..., timeout=3)}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    static final double RELATIVE_TOLERANCE = 1e-4;
    private static final String DIGITS = "[0-9](?:_?[0-9])*";
    private static final Pattern PY_FLOAT = Pattern.compile("[+-]?(?:(?:" + DIGITS + ")?\\.?" + DIGITS + "|" + DIGITS
            + "\\.)(?:[eE][+-]?" + DIGITS + ")?|[+-]?(?i:inf|infinity|nan)");
    private static final Pattern CHOICE = Pattern.compile("\\b(A|B|C|D|E)\\b");
    private static final Pattern BRACED_LIST = Pattern.compile("\\{.*,.*\\}");
    private static final Pattern UNREADABLE = Pattern.compile("\\\\[;:]");
    private static final Pattern BRACKETED = Pattern.compile("(\\(|\\[).+(\\)|\\])");

    private final Duration timeout;

    public QwenMathEqual(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code math_equal(prediction, reference)} with upstream's defaults (percentages and closeness on). */
    public boolean equal(String prediction, String reference) {
        return equal(prediction, reference, Deadline.in(timeout.minus(SymbolicEquivalence.STOP_MARGIN)));
    }

    private boolean equal(String prediction, String reference, Deadline deadline) {
        if (prediction == null || reference == null) {
            return false;
        }
        if (prediction.strip().toLowerCase(Locale.ROOT).equals(reference.strip().toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (List.of("A", "B", "C", "D", "E").contains(reference) && choiceClean(prediction).equals(reference)) {
            return true;
        }
        Double p = parseDigits(prediction);
        Double r = parseDigits(reference);
        if (p != null && r != null) {
            return close(p, r / 100) || close(p, r) || close(p, r * 100);
        }
        if (prediction.isEmpty()) {
            return false;
        }
        String ref = reference.strip();
        String pred = prediction.strip();
        if (pred.contains("pmatrix") && !ref.contains("pmatrix")) {
            ref = toPmatrix(ref);
        }
        if (sameWithoutBrackets(pred, ref)) {
            return true;
        }
        if (BRACKETED.matcher(pred).lookingAt() && BRACKETED.matcher(ref).lookingAt()
                && partsEqual(pythonSplit(pred.substring(1, pred.length() - 1), ","),
                pythonSplit(ref.substring(1, ref.length() - 1), ","), deadline)) {
            return true;
        }
        if (isMatrix(pred) && isMatrix(ref) && matricesEqual(pred, ref, deadline)) {
            return true;
        }
        Boolean equations = equations(pred, ref, deadline);
        if (equations != null) {
            if (equations) {
                return true;
            }
        }
        return symbolicEqual(pred, ref, deadline);
    }

    /** The equation rules; {@code null} when none applies, else whether it found the two equal. */
    private Boolean equations(String pred, String ref, Deadline deadline) {
        int pe = count(pred, '=');
        int re = count(ref, '=');
        if (pe == 1 && re == 1) {
            String[] ps = pythonSplit(pred, "=").toArray(String[]::new);
            String[] rs = pythonSplit(ref, "=").toArray(String[]::new);
            String p = ps[0].strip() + " - (" + ps[1].strip() + ")";
            String r = rs[0].strip() + " - (" + rs[1].strip() + ")";
            return symbolicEqual(p, r, deadline) || symbolicEqual("-(" + p + ")", r, deadline);
        }
        if (pe == 1 && pred.split("=", -1)[0].strip().length() <= 2 && re == 0) {
            return equal(pred.split("=", -1)[1], ref, deadline);
        }
        if (re == 1 && ref.split("=", -1)[0].strip().length() <= 2 && pe == 0) {
            return equal(pred, ref.split("=", -1)[1], deadline);
        }
        return null;
    }

    private boolean sameWithoutBrackets(String pred, String ref) {
        String p = pred;
        String r = ref;
        if ((pred.startsWith("[") && pred.endsWith("]") && !ref.startsWith("("))
                || (pred.startsWith("(") && pred.endsWith(")") && !ref.startsWith("["))) {
            p = QwenAnswerNormalizer.strip(p, "[]()");
            r = QwenAnswerNormalizer.strip(r, "[]()");
        }
        for (String s : List.of("{", "}", "(", ")")) {
            r = r.replace(s, "");
            p = p.replace(s, "");
        }
        return p.toLowerCase(Locale.ROOT).equals(r.toLowerCase(Locale.ROOT));
    }

    private boolean partsEqual(List<String> pred, List<String> ref, Deadline deadline) {
        if (pred.size() != ref.size()) {
            return false;
        }
        boolean all = true;
        for (int i = 0; i < pred.size(); i++) {
            all &= equal(pred.get(i), ref.get(i), deadline);
        }
        return all;
    }

    private static boolean isMatrix(String s) {
        return (s.startsWith("\\begin{pmatrix}") || s.startsWith("\\begin{bmatrix}"))
                && (s.endsWith("\\end{pmatrix}") || s.endsWith("\\end{bmatrix}"));
    }

    private boolean matricesEqual(String pred, String ref, Deadline deadline) {
        List<String> pl = rows(pred);
        List<String> rl = rows(ref);
        if (pl.size() != rl.size()) {
            return false;
        }
        for (int i = 0; i < pl.size(); i++) {
            List<String> pp = pythonSplit(pl.get(i), "&");
            List<String> rp = pythonSplit(rl.get(i), "&");
            if (pp.size() != rp.size() || !partsEqual(pp, rp, deadline)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> rows(String matrix) {
        String body = matrix.substring("\\begin{pmatrix}".length(), matrix.length() - "\\end{pmatrix}".length());
        List<String> out = new ArrayList<>();
        for (String line : pythonSplit(body, "\\\\")) {
            if (!line.strip().isEmpty()) {
                out.add(line.strip());
            }
        }
        return out;
    }

    /**
     * {@code symbolic_equal}: equal strings, else Symja equality, else numeric values within 1e-4. Before Symja the
     * strings get latex2sympy's own clean-up ({@code \displaystyle}, {@code \quad}, {@code \qquad}, {@code ~},
     * {@code \,} removed); a string with a spacing command latex2sympy cannot read ({@code \;}, {@code \:}) is
     * unequal, as upstream's parsers all fail on it.
     */
    private boolean symbolicEqual(String a, String b, Deadline deadline) {
        String x = latex2sympyCleanup(a.replace("\\\\", "\\"));
        String y = latex2sympyCleanup(b.replace("\\\\", "\\"));
        if (a.equals(b) || x.equals(y)) {
            return true;
        }
        if (deadline.expired() || UNREADABLE.matcher(x + y).find()) {
            return false;
        }
        SymbolicEquivalence symja = SymbolicEquivalence.shared();
        if (symja.equivalent(x, y, deadline.remaining()) == SymbolicEquivalence.Outcome.EQUAL) {
            return true;
        }
        return !deadline.expired() && symja.numericallyClose(x, y, RELATIVE_TOLERANCE, deadline.remaining())
                == SymbolicEquivalence.Outcome.EQUAL;
    }

    private static String latex2sympyCleanup(String s) {
        return s.replace("\\displaystyle", " ").replace("\\qquad", " ").replace("\\quad", " ").replace("~", " ")
                .replace("\\,", " ");
    }

    /** {@code str_to_pmatrix}: each greedy {@code {…,…}} of the reference as a one-column pmatrix. */
    private static String toPmatrix(String ref) {
        Matcher m = BRACED_LIST.matcher(ref.strip());
        List<String> out = new ArrayList<>();
        while (m.find()) {
            String inner = QwenAnswerNormalizer.strip(m.group(), "{}");
            out.add("\\begin{pmatrix}" + inner.replace(",", "\\") + "\\end{pmatrix}");
        }
        return String.join(", ", out);
    }

    /** grader.py's {@code choice_answer_clean}: the last standalone letter A–E of the upper-cased answer. */
    static String choiceClean(String pred) {
        String p = QwenAnswerNormalizer.strip(pred, "\n");
        p = QwenAnswerNormalizer.rstrip(QwenAnswerNormalizer.rstrip(p, "."), "/");
        p = QwenAnswerNormalizer.strip(p, " ");
        p = p.startsWith(":") ? p.replaceFirst("^:+", "") : p;
        Matcher m = CHOICE.matcher(p.toUpperCase(Locale.ROOT));
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        String chosen = last != null ? last : QwenAnswerNormalizer.strip(p.strip(), ".");
        return QwenAnswerNormalizer.rstrip(QwenAnswerNormalizer.rstrip(chosen, "."), "/");
    }

    /** {@code parse_digits}: commas removed, Python {@code float()}, else a trailing {@code %} (or {@code \%}) ÷ 100. */
    static Double parseDigits(String s) {
        String num = s.replace(",", "");
        Double v = pythonFloat(num);
        if (v != null || !num.endsWith("%")) {
            return v;
        }
        num = num.substring(0, num.length() - 1);
        if (num.endsWith("\\")) {
            num = num.substring(0, num.length() - 1);
        }
        Double percent = pythonFloat(num);
        return percent == null ? null : percent / 100;
    }

    /** Python's {@code float(str)}: surrounding whitespace, underscores between digits, inf and nan allowed. */
    static Double pythonFloat(String s) {
        String t = s.strip();
        if (!PY_FLOAT.matcher(t).matches()) {
            return null;
        }
        String lower = t.toLowerCase(Locale.ROOT).replace("_", "");
        String unsigned = lower.replaceFirst("^[+-]", "");
        boolean negative = lower.startsWith("-");
        if (unsigned.startsWith("inf")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals("nan")) {
            return Double.NaN;
        }
        return Double.parseDouble(lower);
    }

    /** Python's {@code math.isclose(reference, prediction, rel_tol=1e-4)}. */
    static boolean close(double a, double b) {
        if (a == b) {
            return true;
        }
        if (Double.isInfinite(a) || Double.isInfinite(b)) {
            return false;
        }
        return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
    }

    /** Python's {@code str.split(sep)}: every piece, empty ones included. */
    static List<String> pythonSplit(String s, String sep) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(ch -> ch == c).count();
    }
}
