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
    private static final Pattern SUBSCRIPT = Pattern.compile("_\\{[^{}]*\\}|_[A-Za-z0-9]");
    private static final Pattern DIGIT = Pattern.compile("[0-9]");
    private static final Pattern LETTER = Pattern.compile("[A-Za-z]");
    private static final Pattern COMMAND = Pattern.compile("\\\\[A-Za-z]+");
    static final Verdict TIMEOUT = new Verdict(false, "incorrect (timeout)");

    private final AnswerNormalizer normalizer = new AnswerNormalizer();
    private final SymbolicEquivalence symbolic = SymbolicEquivalence.shared();
    private final Duration timeout;

    public LenientEquivalence(Duration timeout) {
        this.timeout = timeout;
    }

    /** Whether {@code predicted} is equivalent to {@code reference}, deciding within this instance's timeout. */
    public Verdict compare(String predicted, String reference) {
        String p = dropApproximation(normalizer.normalize(predicted));
        String r = dropApproximation(normalizer.normalize(reference));
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
        Verdict relation = compareRelations(p, r, deadline);
        if (relation != null) {
            return relation;
        }
        Verdict labelled = compareLabelled(p, r, deadline);
        if (labelled != null) {
            return labelled;
        }
        CompoundAnswer ref = CompoundAnswer.parse(r);
        CompoundAnswer pred = CompoundAnswer.parse(p);
        if (ref.kind() == CompoundAnswer.Kind.SCALAR && pred.kind() == CompoundAnswer.Kind.SCALAR) {
            return compareScalars(p, r, deadline);
        }
        boolean unordered = ref.kind() == CompoundAnswer.Kind.UNORDERED || ref.kind() == CompoundAnswer.Kind.UNION;
        boolean sameBrackets = unordered || ref.open().equals(pred.open()) && ref.close().equals(pred.close());
        List<String> refElements = unordered ? distinct(ref.elements()) : ref.elements();
        List<String> predElements = unordered ? distinct(pred.elements()) : pred.elements();
        if (ref.kind() != pred.kind() || !sameBrackets || refElements.size() != predElements.size()) {
            return new Verdict(false, "incorrect (structure)");
        }
        return unordered
                ? matchUnordered(predElements, refElements, deadline)
                : matchInOrder(pred.elements(), ref.elements(), deadline);
    }

    /** A list of solutions is a set: an element written twice counts once. */
    private static List<String> distinct(List<String> elements) {
        return elements.stream().map(String::strip).distinct().toList();
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

    /**
     * Inequalities: a chain {@code a < x < b} stands for its interval; two single relations are equal when their
     * canonical forms ({@link Relation}) have the same symbol and equal sides. {@code null} when neither answer is
     * an inequality; an inequality against anything else is incorrect.
     */
    private Verdict compareRelations(String p, String r, Deadline deadline) {
        String pi = Relation.chainAsInterval(p);
        String ri = Relation.chainAsInterval(r);
        if (pi != null || ri != null) {
            return asRelation(compareStructures(pi != null ? pi : p, ri != null ? ri : r, deadline));
        }
        Relation pr = Relation.parse(p);
        Relation rr = Relation.parse(r);
        if (pr == null && rr == null) {
            return null;
        }
        if (pr == null || rr == null || !pr.op().equals(rr.op())) {
            return new Verdict(false, "incorrect (relation)");
        }
        Verdict left = compareStructures(pr.left(), rr.left(), deadline);
        return asRelation(left.correct() ? compareStructures(pr.right(), rr.right(), deadline) : left);
    }

    /**
     * Equation chains against bare answers. When one answer is {@code L = … = v} and the other has no {@code =},
     * the last side {@code v} is the answer ({@code (p,q) = (3,2)}, {@code f(x) = 1}, {@code 35 + 5 = 40}); two
     * chains of which one has three or more sides compare their first and last sides ({@code x = 5+5+1 = 11} is
     * {@code x = 11}). Lists (a top-level comma) are left to {@link CompoundAnswer}. {@code null} when this does not
     * apply.
     */
    private Verdict compareLabelled(String p, String r, Deadline deadline) {
        if (CompoundAnswer.splitTopLevel(p, ",").size() > 1 || CompoundAnswer.splitTopLevel(r, ",").size() > 1) {
            return null;
        }
        List<String> ps = topLevelSides(p);
        List<String> rs = topLevelSides(r);
        if (ps.size() > 1 && rs.size() == 1 && namesOrComputes(ps)) {
            return asEquation(compareStructures(ps.get(ps.size() - 1), r, deadline));
        }
        if (rs.size() > 1 && ps.size() == 1 && namesOrComputes(rs)) {
            return asEquation(compareStructures(p, rs.get(rs.size() - 1), deadline));
        }
        if (ps.size() > 1 && rs.size() > 1 && (ps.size() > 2 || rs.size() > 2)) {
            Verdict lhs = compareStructures(ps.get(0), rs.get(0), deadline);
            return asEquation(lhs.correct()
                    ? compareStructures(ps.get(ps.size() - 1), rs.get(rs.size() - 1), deadline) : lhs);
        }
        return null;
    }

    /**
     * {@code a \approx b}: the exact value {@code a} is the answer, unless {@code a} is only a name ({@code x}), when
     * the answer is {@code b}.
     */
    static String dropApproximation(String s) {
        int at = s.indexOf("\\approx");
        if (at < 0) {
            return s;
        }
        String exact = s.substring(0, at).strip();
        String approx = s.substring(at + "\\approx".length()).strip();
        return exact.isEmpty() || VARIABLE.matcher(exact).matches() ? approx : exact;
    }

    /**
     * Whether the last of {@code sides} is what they state: the first side names ({@link #isLabel}), or every side
     * is arithmetic without letters ({@code 35+5=40}). {@code 7 = 11a+c} and {@code a+3z = 0} are neither.
     */
    private static boolean namesOrComputes(List<String> sides) {
        return isLabel(sides.get(0)) || sides.stream().noneMatch(side -> LETTER.matcher(COMMAND.matcher(side).replaceAll("")).find());
    }

    /** A name rather than a computation: no digit outside subscripts ({@code (p,q)}, {@code f(x)}, {@code |AB|}). */
    private static boolean isLabel(String side) {
        return !side.isEmpty() && !DIGIT.matcher(SUBSCRIPT.matcher(side).replaceAll("")).find();
    }

    /** The sides of {@code s} split at each {@code =} outside brackets and braces. */
    private static List<String> topLevelSides(String s) {
        List<String> sides = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            depth += "([{".indexOf(c) >= 0 ? 1 : ")]}".indexOf(c) >= 0 ? -1 : 0;
            if (c == '=' && depth == 0) {
                sides.add(s.substring(from, i).strip());
                from = i + 1;
            }
        }
        sides.add(s.substring(from).strip());
        return sides;
    }

    private static Verdict asRelation(Verdict v) {
        return v.correct() ? new Verdict(true, "relation") : v;
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
