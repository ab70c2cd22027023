package dev.mathtune.eval.grade;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient normal form of an answer string, so that equal answers written differently compare equal as strings.
 * In order: unwrap {@code $…$}, {@code \$}, {@code \boxed{}}, {@code \text{}}, {@code \mbox{}}, {@code \mathrm{}} and
 * similar; {@code \dfrac}/{@code \tfrac} → {@code \frac}; drop {@code \left}/{@code \right}, {@code \displaystyle},
 * spacing commands ({@code \!}, {@code \,}, {@code \;}, {@code \:}, {@code \quad}, {@code ~}), degrees
 * ({@code ^\circ}, {@code °}), percent signs ({@code %}, {@code \%}); "or"/"and" → {@code ,}; drop unit words after a
 * value (a fixed list after any value, any words after a plain number); thousands separators ({@code 1,000},
 * {@code 1{,}000}, {@code 1,\!000}); a trailing period; {@code \frac12} → {@code \frac{1}{2}},
 * {@code \sqrt2} → {@code \sqrt{2}}; mixed numbers {@code 2 1/2} → {@code 2\frac{1}{2}}; then spaces, except one
 * between two letters. Equation prefixes ({@code x =}) are left alone: the grader compares equations side by side.
 */
public final class AnswerNormalizer {

    private static final Pattern WRAPPER = Pattern.compile(
            "\\\\(?:text|textbf|textit|textrm|textnormal|mbox|mathrm|mathbf|mathit|operatorname|boxed|fbox)\\s*(?=\\{)");
    private static final Pattern LEFT_RIGHT = Pattern.compile("\\\\(?:left|right|big|Big|bigg|Bigg)(?![A-Za-z])");
    private static final Pattern SPACING = Pattern.compile("(?<!\\\\)\\\\(?:!|,|;|:|qquad(?![A-Za-z])|quad(?![A-Za-z])| )|~");
    private static final Pattern DEGREES = Pattern.compile("\\^\\s*\\{?\\s*\\\\circ\\s*\\}?|\\\\circ|°|\\\\degree(?![A-Za-z])");
    private static final String UNIT_WORDS = "(?:square|sq|cubic|units?|cm|mm|km|meters?|metres?|centimeters?|"
            + "millimeters?|kilometers?|inch(?:es)?|foot|feet|ft|yards?|yd|miles?|mph|kg|grams?|kilograms?|pounds?|"
            + "lbs?|ounces?|oz|seconds?|sec|minutes?|min|hours?|hrs?|days?|weeks?|months?|years?|dollars?|cents?|"
            + "degrees?|radians?|rad|liters?|litres?|ml|gallons?|cups?|points?|percent)";
    private static final Pattern TRAILING_UNITS = Pattern.compile(
            "(?<=[0-9}a-zA-Z)\\s])\\s+(?:" + UNIT_WORDS + "(?:\\^\\{?[23]\\}?)?\\.?\\s*)+$");
    private static final Pattern NUMBER_THEN_WORDS = Pattern.compile(
            "^(-?[0-9][0-9.,/]*)(?:\\s+[A-Za-z]+(?:\\^\\{?[23]\\}?)?\\.?)+$");
    private static final Pattern OR_AND = Pattern.compile("\\s+(?:or|and)\\s+");
    private static final Pattern BRACED_COMMA = Pattern.compile("(?<=\\d)\\{,\\}(?=\\d)|(?<=\\d),\\s*\\\\!\\s*(?=\\d)");
    private static final Pattern THOUSANDS = Pattern.compile("(?<=\\d),(?=\\d{3}(?![0-9]))");
    private static final Pattern FRAC_SHORT = Pattern.compile("\\\\frac\\s*([0-9a-zA-Z])\\s*([0-9a-zA-Z])");
    private static final Pattern FRAC_HALF_SHORT = Pattern.compile("\\\\frac\\s*(\\{[^{}]*\\})\\s*([0-9a-zA-Z])");
    private static final Pattern SQRT_SHORT = Pattern.compile("\\\\sqrt\\s*([0-9a-zA-Z])");
    private static final Pattern MIXED = Pattern.compile("(?<![0-9.])(\\d+)\\s+(\\d+)\\s*/\\s*(\\d+)(?![0-9.])");
    private static final Pattern LEADING_POINT = Pattern.compile("(?<![0-9])\\.(?=[0-9])");
    private static final Pattern FRAC_DIGIT_BRACE = Pattern.compile("\\\\frac\\s*([0-9a-zA-Z])\\s*(?=\\{)");
    private static final Pattern REPEATING = Pattern.compile(
            "(?<![0-9.])(-?)([0-9]*)\\.([0-9]*)\\\\overline\\{([0-9]+)\\}");
    private static final Pattern ELEMENT_OF = Pattern.compile("^\\s*[A-Za-z](?:_\\{?[A-Za-z0-9]+\\}?)?\\s*\\\\in(?![A-Za-z])\\s*");
    private static final Pattern GLUED_OR = Pattern.compile("(?<=[)\\]}])\\s*(?:or|and)\\s*(?=[(\\[{])");
    private static final Pattern BRACKETED_MATRIX = Pattern.compile(
            "^[\\[(]\\s*(\\\\begin\\{([pbvB]?matrix|array)\\}.*\\\\end\\{\\2\\})\\s*[\\])]$", Pattern.DOTALL);
    private static final Pattern[][] RELATIONS = {
        {Pattern.compile("\\\\(?:geq|geqslant|ge)(?![A-Za-z])|≥"), Pattern.compile(">=")},
        {Pattern.compile("\\\\(?:leq|leqslant|le)(?![A-Za-z])|≤"), Pattern.compile("<=")},
        {Pattern.compile("\\\\(?:neq|ne)(?![A-Za-z])|≠"), Pattern.compile("!=")},
        {Pattern.compile("\\\\gt(?![A-Za-z])"), Pattern.compile(">")},
        {Pattern.compile("\\\\lt(?![A-Za-z])"), Pattern.compile("<")}};

    /** The normal form of {@code answer} ({@code ""} for {@code null}). */
    public String normalize(String answer) {
        if (answer == null) {
            return "";
        }
        String s = answer.strip().replace("\n", " ");
        s = s.replace("\\$", "").replace("$", "");
        s = unwrapCommands(s);
        s = s.replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac").replace("\\cfrac", "\\frac")
                .replace("\\displaystyle", "").replace('\u2212', '-');
        s = LEFT_RIGHT.matcher(s).replaceAll("");
        s = relations(s);
        s = BRACED_COMMA.matcher(s).replaceAll("");
        s = SPACING.matcher(s).replaceAll(" ");
        s = s.replace(";", ",");
        s = ELEMENT_OF.matcher(s).replaceAll("");
        s = DEGREES.matcher(s).replaceAll("");
        s = s.replace("\\%", "").replace("%", "");
        s = OR_AND.matcher(s).replaceAll(", ");
        s = GLUED_OR.matcher(s).replaceAll(",");
        s = stripUnits(s.strip());
        s = removeThousands(s);
        s = stripTrailingPeriod(s);
        s = FRAC_SHORT.matcher(s).replaceAll("\\\\frac{$1}{$2}");
        s = FRAC_HALF_SHORT.matcher(s).replaceAll("\\\\frac$1{$2}");
        s = FRAC_DIGIT_BRACE.matcher(s).replaceAll("\\\\frac{$1}");
        s = repeatingDecimals(s);
        s = SQRT_SHORT.matcher(s).replaceAll("\\\\sqrt{$1}");
        s = MIXED.matcher(s).replaceAll("$1\\\\frac{$2}{$3}");
        s = LEADING_POINT.matcher(s).replaceAll("0.");
        s = unwrapOuterBraces(collapseSpaces(s));
        return BRACKETED_MATRIX.matcher(s).replaceAll("$1");
    }

    /**
     * Thousands separators {@code 1,000} removed outside brackets only: inside {@code (…)}, {@code […]} or
     * {@code {…}} a comma separates elements ({@code (12,102)} is an interval, not 12102).
     */
    static String removeThousands(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        Matcher m = THOUSANDS.matcher(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            depth += "([{".indexOf(c) >= 0 ? 1 : ")]}".indexOf(c) >= 0 ? -1 : 0;
            if (c == ',' && depth <= 0 && m.find(i) && m.start() == i) {
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Relation commands and symbols as ASCII: {@code \geq}, {@code ≥} → {@code >=}; {@code \neq} → {@code !=}; ... */
    static String relations(String s) {
        String out = s;
        for (Pattern[] r : RELATIONS) {
            out = r[0].matcher(out).replaceAll(r[1].pattern());
        }
        return out;
    }

    /**
     * A repeating decimal {@code a.b\overline{c}} as the exact fraction it denotes
     * ({@code 0.\overline{3}} → {@code \frac{1}{3}}): (abc − ab) / (10^|b| · (10^|c| − 1)).
     */
    static String repeatingDecimals(String s) {
        Matcher m = REPEATING.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String whole = m.group(2).isEmpty() ? "0" : m.group(2);
            String fixed = m.group(3);
            String cycle = m.group(4);
            BigInteger all = new BigInteger(whole + fixed + cycle);
            BigInteger num = all.subtract(new BigInteger(whole + fixed));
            BigInteger den = BigInteger.TEN.pow(fixed.length())
                    .multiply(BigInteger.TEN.pow(cycle.length()).subtract(BigInteger.ONE));
            BigInteger g = num.gcd(den);
            String frac = "\\frac{" + num.divide(g) + "}{" + den.divide(g) + "}";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + frac));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Replaces {@code \text{X}} and similar wrappers by {@code X} (brace-matched, repeatedly). */
    static String unwrapCommands(String s) {
        String out = s;
        Matcher m = WRAPPER.matcher(out);
        while (m.find()) {
            BracedGroup group = BracedGroup.at(out, m.end());
            if (group == null) {
                break;
            }
            out = out.substring(0, m.start()) + group.content() + out.substring(group.end());
            m = WRAPPER.matcher(out);
        }
        return out;
    }

    private static String stripUnits(String s) {
        Matcher plain = NUMBER_THEN_WORDS.matcher(s);
        if (plain.matches()) {
            return plain.group(1);
        }
        String stripped = TRAILING_UNITS.matcher(s).replaceAll("");
        return stripped.isBlank() ? s : stripped.strip();
    }

    private static String stripTrailingPeriod(String s) {
        String t = s.strip();
        while (t.endsWith(".") || t.endsWith("\\\\")) {
            t = t.substring(0, t.length() - (t.endsWith(".") ? 1 : 2)).strip();
        }
        return t;
    }

    /** Removes whitespace, keeping a single space only where both neighbours are letters ({@code \pi r}). */
    private static String collapseSpaces(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isWhitespace(c)) {
                out.append(c);
            } else if (out.length() > 0 && Character.isLetter(out.charAt(out.length() - 1))
                    && i + 1 < s.length() && Character.isLetter(s.charAt(i + 1))) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    private static String unwrapOuterBraces(String s) {
        String t = s;
        while (t.startsWith("{")) {
            BracedGroup group = BracedGroup.at(t, 0);
            if (group == null || group.end() != t.length()) {
                break;
            }
            t = group.content().strip();
        }
        return t;
    }
}
