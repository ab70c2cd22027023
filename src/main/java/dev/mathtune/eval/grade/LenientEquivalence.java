package dev.mathtune.eval.grade;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient equivalence of two answers. Both are {@linkplain AnswerNormalizer normalised}, then the first step that
 * decides wins:
 * <ol>
 *   <li>equal strings ({@code "string"}; case-insensitive for words);</li>
 *   <li>structure ({@link CompoundAnswer}): tuples and intervals element by element with the same brackets, matrices
 *       cell by cell with the same shape, lists and sets as multisets (a bare list equals a set), unions piece by piece ({@code "elements"});</li>
 *   <li>numbers ({@link NumericAnswer#sameNumber}: integers exactly, others within
 *       {@link NumericAnswer#RELATIVE_TOLERANCE}) ({@code "numeric"});</li>
 *   <li>equations: both sides of two equations (or {@code l1 - r1 = ±(l2 - r2)}), or the right side of {@code v = …} against a plain answer
 *       ({@code "equation"});</li>
 *   <li>Symja ({@link SymbolicEquivalence}, {@code "symbolic"}), skipped for text (a run of three letters not part of
 *       a LaTeX command); running out of time gives {@code "incorrect (timeout)"}.</li>
 * </ol>
 */
public final class LenientEquivalence {

    private static final Pattern WORD = Pattern.compile("(?<![\\\\A-Za-z])[A-Za-z]{3,}");
    private static final Pattern CHOICE = Pattern.compile("\\(?([A-Ea-e])\\)?");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z](?:_\\{?[A-Za-z0-9]+\\}?)?|\\\\[a-zA-Z]+");
    static final Verdict TIMEOUT = new Verdict(false, "incorrect (timeout)");

    private final AnswerNormalizer normalizer = new AnswerNormalizer();
    private final SymbolicEquivalence symbolic = SymbolicEquivalence.shared();
    private final Duration timeout;

    public LenientEquivalence(Duration timeout) {
        this.timeout = timeout;
    }

    /** Whether {@code predicted} is equivalent to {@code reference}, deciding within this instance's timeout. */
    public Verdict compare(String predicted, String reference) {
        String p = normalizer.normalize(predicted);
        String r = normalizer.normalize(reference);
        if (p.isEmpty()) {
            return new Verdict(false, "incorrect (no answer)");
        }
        symbolic.warmUp();
        return compareStructures(p, r, Deadline.in(timeout.minus(SymbolicEquivalence.STOP_MARGIN)));
    }

    private Verdict compareStructures(String p, String r, Deadline deadline) {
        if (p.equals(r)) {
            return new Verdict(true, "string");
        }
        CompoundAnswer ref = CompoundAnswer.parse(r);
        CompoundAnswer pred = CompoundAnswer.parse(p);
        if (ref.kind() == CompoundAnswer.Kind.SCALAR && pred.kind() == CompoundAnswer.Kind.SCALAR) {
            return compareScalars(p, r, deadline);
        }
        boolean unordered = ref.kind() == CompoundAnswer.Kind.UNORDERED;
        boolean sameBrackets = unordered || ref.open().equals(pred.open()) && ref.close().equals(pred.close());
        if (ref.kind() != pred.kind() || !sameBrackets || ref.elements().size() != pred.elements().size()) {
            return new Verdict(false, "incorrect (structure)");
        }
        return unordered
                ? matchUnordered(pred.elements(), ref.elements(), deadline)
                : matchInOrder(pred.elements(), ref.elements(), deadline);
    }

    private Verdict matchInOrder(List<String> pred, List<String> ref, Deadline deadline) {
        for (int i = 0; i < ref.size(); i++) {
            Verdict v = compareStructures(pred.get(i), ref.get(i), deadline);
            if (!v.correct()) {
                return v;
            }
        }
        return new Verdict(true, "elements");
    }

    private Verdict matchUnordered(List<String> pred, List<String> ref, Deadline deadline) {
        List<String> left = new ArrayList<>(pred);
        for (String r : ref) {
            int found = -1;
            for (int i = 0; i < left.size() && found < 0; i++) {
                Verdict v = compareStructures(left.get(i), r, deadline);
                if (v.equals(TIMEOUT)) {
                    return v;
                }
                found = v.correct() ? i : -1;
            }
            if (found < 0) {
                return new Verdict(false, "incorrect (elements)");
            }
            left.remove(found);
        }
        return new Verdict(true, "elements");
    }

    private Verdict compareScalars(String p, String r, Deadline deadline) {
        if (p.equals(r) || (isWords(p) && p.equalsIgnoreCase(r)) || sameChoice(p, r)) {
            return new Verdict(true, "string");
        }
        OptionalDouble pv = NumericAnswer.parse(p);
        OptionalDouble rv = NumericAnswer.parse(r);
        if (pv.isPresent() && rv.isPresent()) {
            return NumericAnswer.sameNumber(p, pv.getAsDouble(), r, rv.getAsDouble())
                    ? new Verdict(true, "numeric") : new Verdict(false, "incorrect (numeric)");
        }
        Verdict equation = compareEquations(p, r, deadline);
        if (equation != null) {
            return equation;
        }
        if (WORD.matcher(p.replaceAll("\\\\[A-Za-z]+", "")).find()
                || WORD.matcher(r.replaceAll("\\\\[A-Za-z]+", "")).find()) {
            return new Verdict(false, "incorrect");
        }
        return switch (symbolic.equivalent(p, r, deadline.remaining())) {
            case EQUAL -> new Verdict(true, "symbolic");
            case DIFFERENT -> new Verdict(false, "incorrect (symbolic)");
            case UNPARSEABLE -> new Verdict(false, "incorrect (unparseable)");
            case TIMEOUT -> TIMEOUT;
        };
    }

    /** Side-by-side comparison when either answer is an equation; {@code null} when neither is. */
    private Verdict compareEquations(String p, String r, Deadline deadline) {
        String[] ps = p.split("=", -1);
        String[] rs = r.split("=", -1);
        if (ps.length == 2 && rs.length == 2) {
            Verdict lhs = compareStructures(ps[0].strip(), rs[0].strip(), deadline);
            Verdict both = lhs.correct() ? compareStructures(ps[1].strip(), rs[1].strip(), deadline) : lhs;
            return both.correct() || both.equals(TIMEOUT) ? asEquation(both) : sameZeroSet(ps, rs, deadline);
        }
        if (ps.length == 2 && rs.length == 1 && VARIABLE.matcher(ps[0].strip()).matches()) {
            return asEquation(compareStructures(ps[1].strip(), r, deadline));
        }
        if (rs.length == 2 && ps.length == 1 && VARIABLE.matcher(rs[0].strip()).matches()) {
            return asEquation(compareStructures(p, rs[1].strip(), deadline));
        }
        return null;
    }

    /** {@code l1 = r1} and {@code l2 = r2} rearranged: {@code l1 - r1} equals {@code ±(l2 - r2)}. */
    private Verdict sameZeroSet(String[] ps, String[] rs, Deadline deadline) {
        String p = "(" + ps[0] + ")-(" + ps[1] + ")";
        for (String r : new String[] {"(" + rs[0] + ")-(" + rs[1] + ")", "(" + rs[1] + ")-(" + rs[0] + ")"}) {
            SymbolicEquivalence.Outcome o = symbolic.equivalent(p, r, deadline.remaining());
            if (o == SymbolicEquivalence.Outcome.EQUAL) {
                return new Verdict(true, "equation");
            }
            if (o == SymbolicEquivalence.Outcome.TIMEOUT) {
                return TIMEOUT;
            }
        }
        return new Verdict(false, "incorrect (equation)");
    }

    private static Verdict asEquation(Verdict v) {
        return v.correct() ? new Verdict(true, "equation") : v;
    }

    private static boolean isWords(String s) {
        return s.chars().allMatch(c -> Character.isLetter(c) || c == ' ');
    }

    private static boolean sameChoice(String p, String r) {
        Matcher mp = CHOICE.matcher(p);
        Matcher mr = CHOICE.matcher(r);
        return mp.matches() && mr.matches() && mp.group(1).equalsIgnoreCase(mr.group(1));
    }
}
