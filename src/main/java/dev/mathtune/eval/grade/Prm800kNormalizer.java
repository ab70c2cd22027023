package dev.mathtune.eval.grade;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The second normaliser of openai/prm800k {@code grading/grader.py} ({@code _normalize}): unwrap a whole-answer
 * {@code \text{…}}; drop {@code $}, {@code \$}, {@code %}, {@code \%}; " or "/" and " → " , "; million / billion /
 * trillion → {@code *10^6} / {@code ^9} / {@code ^12}; drop {@code ^\circ}; unwrap outer braces; drop {@code ,\!};
 * an integral float → its integer; LaTeX → plain text ({@link #latexToText}); {@code "- "} → {@code "-"}; a space
 * between two digits → {@code +} (mixed numbers); remove spaces and braces; lower-case; an integer string (commas
 * allowed) → its integer.
 *
 * <p>Deviation, by design of the strict verdict: the original's removal of unit words (cm, meter, degree, hour, …) is
 * left out, so a strict grade gives no units leniency. Its LaTeX → text step (pylatexenc) is replaced by
 * {@link #latexToText}, which keeps fractions' grouping: {@code \frac{x+1}{2}} → {@code (x+1)/(2)}.
 */
public final class Prm800kNormalizer {

    private static final Pattern WHOLE_TEXT = Pattern.compile("^\\\\text\\{(?<text>.+?)\\}$", Pattern.DOTALL);
    private static final Pattern FLOAT = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern MIXED = Pattern.compile("([0-9]) +([0-9])");
    private static final Pattern COMMAS = Pattern.compile("(\\d)(,)(\\d\\d\\d)($|\\D)");
    private static final Pattern COMMAND = Pattern.compile("\\\\([A-Za-z]+)");

    /** {@code _normalize}; {@code null} stays {@code null}. */
    public String normalize(String answer) {
        if (answer == null) {
            return null;
        }
        String s = answer;
        Matcher m = WHOLE_TEXT.matcher(s);
        if (m.find()) {
            s = m.group("text");
        }
        s = s.replace("\\%", "%").replace("\\$", "$").replace("$", "").replace("%", "")
                .replace(" or ", " , ").replace(" and ", " , ")
                .replace("million", "*10^6").replace("billion", "*10^9").replace("trillion", "*10^12");
        s = s.replaceAll("\\^ *\\\\circ", "");
        if (s.length() > 0 && s.charAt(0) == '{' && s.charAt(s.length() - 1) == '}') {
            s = s.substring(1, s.length() - 1);
        }
        s = s.replaceAll(",\\\\! *", "");
        if (isIntegralFloat(s)) {
            s = new BigDecimal(s.strip()).setScale(0, RoundingMode.HALF_EVEN).toBigInteger().toString();
        }
        if (s.contains("\\")) {
            s = latexToText(s);
        }
        s = s.replaceAll("- *", "-");
        s = MIXED.matcher(s).replaceAll("$1+$2");
        s = s.replace(" ", "").replace("{", "").replace("}", "").toLowerCase(java.util.Locale.ROOT);
        return isIntegerString(s) ? integerOf(s) : s;
    }

    /**
     * LaTeX → plain text: {@code \frac{a}{b}} → {@code a/b} (parenthesised unless both are plain tokens; a leading
     * space keeps mixed numbers apart), {@code \sqrt{a}} → {@code sqrt(a)}, {@code \sqrt[n]{a}} → {@code (a)^(1/(n))},
     * {@code ^{e}} → {@code ^(e)} when {@code e} is more than one token, {@code \pi} → {@code pi}, {@code \infty} →
     * {@code inf}, {@code \cup} → {@code U}, {@code \cdot}/{@code \times} → {@code *}; {@code \left}/{@code \right}
     * and spacing commands dropped; other commands lose their backslash.
     */
    static String latexToText(String latex) {
        String s = latex.replace("\\tfrac", "\\frac").replace("\\dfrac", "\\frac")
                .replace("\\left", "").replace("\\right", "").replace("\\!", "").replace("\\,", " ")
                .replace("\\;", " ").replace("\\cdot", "*").replace("\\times", "*").replace("\\infty", "inf")
                .replace("\\cup", "U").replace("\\pi", "pi");
        s = rewriteGroups(s);
        return COMMAND.matcher(s).replaceAll("$1").replace("\\", "").strip();
    }

    /** Rewrites {@code \frac}, {@code \sqrt} and {@code ^{…}} groups, innermost content first. */
    private static String rewriteGroups(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("\\frac", i)) {
                BracedGroup num = BracedGroup.at(s, BracedGroup.skipSpaces(s, i + 5));
                BracedGroup den = num == null ? null : BracedGroup.at(s, BracedGroup.skipSpaces(s, num.end()));
                if (den != null) {
                    out.append(' ').append(group(rewriteGroups(num.content()))).append('/')
                            .append(group(rewriteGroups(den.content())));
                    i = den.end();
                    continue;
                }
            } else if (s.startsWith("\\sqrt", i)) {
                int at = BracedGroup.skipSpaces(s, i + 5);
                String index = null;
                if (at < s.length() && s.charAt(at) == '[' && s.indexOf(']', at) > 0) {
                    index = s.substring(at + 1, s.indexOf(']', at));
                    at = BracedGroup.skipSpaces(s, s.indexOf(']', at) + 1);
                }
                BracedGroup radicand = BracedGroup.at(s, at);
                if (radicand != null) {
                    String r = rewriteGroups(radicand.content());
                    out.append(index == null ? "sqrt(" + r + ")" : "(" + r + ")^(1/(" + index + "))");
                    i = radicand.end();
                    continue;
                }
            } else if (s.startsWith("^{", i)) {
                BracedGroup exponent = BracedGroup.at(s, i + 1);
                if (exponent != null) {
                    out.append('^').append(group(rewriteGroups(exponent.content())));
                    i = exponent.end();
                    continue;
                }
            }
            out.append(s.charAt(i++));
        }
        return out.toString();
    }

    private static String group(String s) {
        String t = s.strip();
        return t.matches("[A-Za-z0-9.]+") ? t : "(" + t + ")";
    }

    static boolean isIntegralFloat(String s) {
        String t = s.strip();
        if (!FLOAT.matcher(t).matches()) {
            return false;
        }
        double x = Double.parseDouble(t);
        return Double.isFinite(x) && Math.abs(x - Math.rint(x)) <= 1e-7;
    }

    /** {@code _str_is_int}: after removing properly formatted thousands commas, a float within 1e-7 of an integer. */
    static boolean isIntegerString(String s) {
        return isIntegralFloat(stripThousandsCommas(s));
    }

    /** {@code _str_to_int}: commas removed, the float truncated to an integer. */
    static String integerOf(String s) {
        return new BigDecimal(s.replace(",", "").strip()).setScale(0, RoundingMode.DOWN).toBigInteger().toString();
    }

    /** {@code _strip_properly_formatted_commas}: {@code 1,234} → {@code 1234}, tuple commas kept. */
    static String stripThousandsCommas(String s) {
        String expr = s;
        while (true) {
            String next = COMMAS.matcher(expr).replaceAll("$1$3$4");
            if (next.equals(expr)) {
                return next;
            }
            expr = next;
        }
    }
}
