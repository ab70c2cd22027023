package dev.mathtune.eval.grade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Strict equivalence, a port of openai/prm800k {@code grading/grader.py} {@code grade_answer}:
 * <ol>
 *   <li>equal after {@link HendrycksNormalizer} → correct;</li>
 *   <li>equal after {@link Prm800kNormalizer} → correct; an empty answer → incorrect;</li>
 *   <li>split both into tuple elements (only when wrapped in {@code ()}/{@code []} with no inner brackets); a
 *       multi-element reference needs the same outer brackets and element count;</li>
 *   <li>per element: two fractions {@code a/b} must be equal strings (unreduced fractions are wrong); an integer
 *       against a non-integer is wrong; otherwise {@code Simplify[ref - given] == 0} with Symja, attempted only for
 *       simple expressions (at most two distinct letters besides {@code sqrt}/{@code frac}, no {@code ^{}},
 *       {@code ^(}, {@code ^N^} or multi-digit exponents).</li>
 * </ol>
 * No units leniency (see {@link Prm800kNormalizer}); Symja runs under the same hard timeout as the lenient grader.
 */
public final class StrictEquivalence {

    private static final Pattern FRACTION = Pattern.compile("^-?[0-9]+.?/0*[1-9][0-9]*.?$");
    private static final List<Pattern> BAD_EXPONENTS = List.of(Pattern.compile("\\^[0-9]+\\^"),
            Pattern.compile("\\^[0-9][0-9]+"));
    private static final String TUPLE_CHARS = "()[]";

    private final HendrycksNormalizer mathd = new HendrycksNormalizer();
    private final Prm800kNormalizer prm = new Prm800kNormalizer();
    private final SymbolicEquivalence symbolic = SymbolicEquivalence.shared();
    private final Duration timeout;

    public StrictEquivalence(Duration timeout) {
        this.timeout = timeout;
    }

    /** {@code grade_answer(given, truth)} as a verdict. */
    public Verdict compare(String given, String truth) {
        if (given == null) {
            return new Verdict(false, "incorrect (no answer)");
        }
        if (mathd.normalize(truth).equals(mathd.normalize(given))) {
            return new Verdict(true, "string");
        }
        String t = prm.normalize(truth);
        String g = prm.normalize(given);
        if (t.equals(g)) {
            return new Verdict(true, "string");
        }
        if (g.isEmpty()) {
            return new Verdict(false, "incorrect (no answer)");
        }
        List<String> tElems = splitTuple(t);
        List<String> gElems = splitTuple(g);
        if (tElems.size() > 1 && (t.charAt(0) != g.charAt(0) || t.charAt(t.length() - 1) != g.charAt(g.length() - 1))
                || tElems.size() != gElems.size()) {
            return new Verdict(false, "incorrect (structure)");
        }
        return compareElements(tElems, gElems, Deadline.in(timeout.minus(SymbolicEquivalence.STOP_MARGIN)));
    }

    private Verdict compareElements(List<String> truth, List<String> given, Deadline deadline) {
        for (int i = 0; i < truth.size(); i++) {
            String t = truth.get(i);
            String g = given.get(i);
            if (isFraction(t) && isFraction(g)) {
                if (!t.equals(g)) {
                    return new Verdict(false, "incorrect (fraction)");
                }
            } else if (Prm800kNormalizer.isIntegerString(t) != Prm800kNormalizer.isIntegerString(g)) {
                return new Verdict(false, "incorrect (integer)");
            } else {
                Verdict v = equalUnderSymja(t, g, deadline);
                if (!v.correct()) {
                    return v;
                }
            }
        }
        return new Verdict(true, "symbolic");
    }

    private Verdict equalUnderSymja(String truth, String given, Deadline deadline) {
        if (!shouldAllowEval("(" + truth + ")-(" + given + ")")) {
            return new Verdict(false, "incorrect");
        }
        return switch (symbolic.simplifiesToZero(truth, given, deadline.remaining())) {
            case EQUAL -> new Verdict(true, "symbolic");
            case TIMEOUT -> LenientEquivalence.TIMEOUT;
            default -> new Verdict(false, "incorrect (symbolic)");
        };
    }

    /** {@code should_allow_eval}: few unknown letters and no complicated exponents. */
    static boolean shouldAllowEval(String expr) {
        String letters = expr.replace("sqrt", "").replace("frac", "");
        if (letters.chars().filter(Character::isLetter).distinct().count() > 2) {
            return false;
        }
        if (expr.contains("^{") || expr.contains("^(")) {
            return false;
        }
        return BAD_EXPONENTS.stream().noneMatch(p -> p.matcher(expr).find());
    }

    static boolean isFraction(String s) {
        return FRACTION.matcher(s).find();
    }

    /** {@code split_tuple}: elements of {@code (a,b)} / {@code [a,b)} etc. without inner brackets, else the whole. */
    static List<String> splitTuple(String expr) {
        String e = Prm800kNormalizer.stripThousandsCommas(expr);
        if (e.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (e.length() > 2 && TUPLE_CHARS.indexOf(e.charAt(0)) >= 0 && TUPLE_CHARS.indexOf(e.charAt(e.length() - 1)) >= 0
                && e.substring(1, e.length() - 1).chars().noneMatch(c -> TUPLE_CHARS.indexOf(c) >= 0)) {
            for (String part : e.substring(1, e.length() - 1).split(",", -1)) {
                out.add(part.strip());
            }
        } else {
            out.add(e);
        }
        return out;
    }
}
