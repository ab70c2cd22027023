package dev.mathtune.eval.grade;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Qwen2.5-Math's {@code strip_string} ({@code evaluation/parser.py}, QwenLM/Qwen2.5-Math at
 * a45202bd16f1ec06f433442dc1152d0074773465), step for step and with its quirks, because published scores were
 * computed with it: every {@code "and"} is deleted (also inside words), one of about 170 MathQA unit words standing
 * alone is removed wherever it occurs (the list's {@code "a ."} or {@code "p . m"} are regular expressions, so
 * {@code .} matches any character), any text with a number word is replaced by that number ({@link WordNumber}),
 * {@code j} becomes {@code i} when there is no {@code i}, {@code "inf"} becomes {@code \infty}, and a short
 * left-hand side {@code k=} is dropped. Regular expressions use Unicode classes as Python's {@code re} does.
 */
public final class QwenAnswerNormalizer {

    private static final int FLAGS = Pattern.UNICODE_CHARACTER_CLASS;
    private static final Pattern ARRAY_BEGIN = Pattern.compile("\\\\begin\\{array\\}\\{.*?\\}", FLAGS);
    private static final Pattern TRAILING_TEXT = Pattern.compile("\\\\text\\{.*?\\}$", FLAGS);
    private static final Pattern TEXT = Pattern.compile("\\\\text\\{(.*?)\\}", FLAGS);
    private static final Pattern MBOX = Pattern.compile("\\\\mbox\\{.*?\\}", FLAGS);
    private static final Pattern POINT_ZEROS = Pattern.compile("(\\d+)\\.0*([^\\d])", FLAGS);
    private static final Pattern POINT_ZEROS_END = Pattern.compile("(\\d+)\\.0*$", FLAGS);
    private static final Pattern SQRT_WORD = Pattern.compile("\\\\sqrt(\\w+)", FLAGS);
    private static final Pattern CANONICAL_INT = Pattern.compile("-?(?:0|[1-9][0-9]*)");
    private static final List<Pattern> UNITS = units();

    private QwenAnswerNormalizer() {
    }

    /** {@code strip_string(string, skip_unit)}. */
    public static String strip(String input, boolean skipUnit) {
        String s = input.strip().replace("\n", "");
        s = rstrip(s, ".");
        s = s.replace("\\!", "");
        s = ARRAY_BEGIN.matcher(s).replaceAll(Matcher.quoteReplacement("\\begin{pmatrix}"));
        s = s.replace("\\end{array}", "\\end{pmatrix}").replace("bmatrix", "pmatrix");
        s = s.replace("tfrac", "frac").replace("dfrac", "frac");
        s = s.replace("\\neq", "\\ne").replace("\\leq", "\\le").replace("\\geq", "\\ge");
        s = s.replace("\\left", "").replace("\\right", "").replace("\\{", "{").replace("\\}", "}");
        String withoutUnit = TRAILING_TEXT.matcher(s).replaceAll("").strip();
        if (!withoutUnit.isEmpty() && !withoutUnit.equals(s)) {
            s = withoutUnit;
        }
        if (!skipUnit) {
            s = removeUnits(s);
        }
        s = s.replace("^{\\circ}", "").replace("^\\circ", "");
        s = s.replace("\\$", "").replace("$", "").replace("\\(", "").replace("\\)", "");
        s = WordNumber.convert(s);
        s = TEXT.matcher(s).replaceAll("$1");
        for (String key : List.of("x=", "y=", "z=", "x\\in", "y\\in", "z\\in", "x\\to", "y\\to", "z\\to")) {
            s = s.replace(key, "");
        }
        s = s.replace("\\emptyset", "{}").replace("(-\\infty,\\infty)", "\\mathbb{R}");
        s = s.replace("\\%", "").replace("%", "");
        s = s.replace(" .", " 0.").replace("{.", "{0.");
        s = s.replace("infinity", "\\infty");
        if (!s.contains("\\infty")) {
            s = s.replace("inf", "\\infty");
        }
        s = s.replace("+\\inity", "\\infty");
        s = s.replace("and", "").replace("\\mathbf", "");
        s = MBOX.matcher(s).replaceAll("");
        if (s.contains("j") && !s.contains("i")) {
            s = s.replace("j", "i");
        }
        s = POINT_ZEROS.matcher(s).replaceAll("$1$2");
        s = POINT_ZEROS_END.matcher(s).replaceAll("$1");
        if (s.isEmpty()) {
            return s;
        }
        s = HendrycksNormalizer.leadingZeroShortLhs(s);
        s = SQRT_WORD.matcher(s).replaceAll(Matcher.quoteReplacement("\\sqrt{") + "$1}");
        s = s.replace(" ", "");
        s = HendrycksNormalizer.fixFracs(s);
        return fixSlash(s);
    }

    private static String removeUnits(String s) {
        for (int round = 0; round < 2; round++) {
            for (Pattern unit : UNITS) {
                String t = unit.matcher(s).replaceAll("$1$2");
                if (!t.isEmpty()) {
                    s = t;
                }
            }
        }
        return s;
    }

    /**
     * {@code _fix_a_slash_b}: {@code 3/4} → {@code \frac{3}{4}} when both sides are plain integers or hold
     * {@code sqrt} (which Hendrycks's version does not allow).
     */
    static String fixSlash(String s) {
        String[] parts = s.split("/", -1);
        if (parts.length != 2) {
            return s;
        }
        boolean ok = (parts[0].contains("sqrt") || CANONICAL_INT.matcher(parts[0]).matches())
                && (parts[1].contains("sqrt") || CANONICAL_INT.matcher(parts[1]).matches())
                && !parts[0].equals("-0") && !parts[1].equals("-0");
        return ok ? "\\frac{" + parts[0] + "}{" + parts[1] + "}" : s;
    }

    /** Python's {@code str.rstrip(chars)}. */
    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && chars.indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's {@code str.strip(chars)}. */
    static String strip(String s, String chars) {
        int start = 0;
        while (start < s.length() && chars.indexOf(s.charAt(start)) >= 0) {
            start++;
        }
        return rstrip(s.substring(start), chars);
    }

    /** {@code unit_texts} (mainly from MathQA) and each with an {@code s} appended, in upstream's order. */
    private static List<Pattern> units() {
        List<String> texts = new ArrayList<>(List.of("east", "degree", "mph", "kmph", "ft", "m sqaure", " m east",
                "sq m", "deg", "mile", "q .", "monkey", "prime", "ratio", "profit of rs", "rd", "o", "gm", "p . m",
                "lb", "tile", "per", "dm", "lt", "gain", "ab", "way", "west", "a .", "b .", "c .", "d .", "e .", "f .",
                "g .", "h .", "t", "a", "h", "no change", "men", "soldier", "pie", "bc", "excess", "st", "inches",
                "noon", "percent", "by", "gal", "kmh", "c", "acre", "rise", "a . m", "th", "π r 2", "sq", "mark", "l",
                "toy", "coin", "sq . m", "gallon", "° f", "profit", "minw", "yr", "women", "feet", "am", "pm", "hr",
                "cu cm", "square", "v â € ™", "are", "rupee", "rounds", "cubic", "cc", "mtr", "s", "ohm", "number",
                "kmph", "day", "hour", "minute", "min", "second", "man", "woman", "sec", "cube", "mt", "sq inch", "mp",
                "∏ cm ³", "hectare", "more", "sec", "unit", "cu . m", "cm 2", "rs .", "rs", "kg", "g", "month", "km",
                "m", "cm", "mm", "apple", "liter", "loss", "yard", "pure", "year", "increase", "decrease", "d", "less",
                "Surface", "litre", "pi sq m", "s .", "metre", "meter", "inch"));
        int n = texts.size();
        for (int i = 0; i < n; i++) {
            texts.add(texts.get(i) + "s");
        }
        List<Pattern> out = new ArrayList<>();
        texts.forEach(t -> out.add(Pattern.compile("(^|\\W)" + t + "($|\\W)", FLAGS)));
        return List.copyOf(out);
    }
}
