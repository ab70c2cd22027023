package dev.mathtune.eval.grade;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MATH dataset's answer normaliser ({@code normalize_answer} / {@code _strip_string} of Hendrycks et al., as used
 * by openai/prm800k {@code grading/math_normalize.py}): unwrap a whole-answer {@code \text{…}}; drop newlines,
 * {@code \!}, {@code \left}, {@code \right}, {@code ^\circ}, {@code \$}, {@code \%}; {@code \\} → {@code \};
 * {@code tfrac}/{@code dfrac} → {@code frac}; cut everything from {@code "\text{ "} (units); {@code " ."} →
 * {@code " 0."}; a short {@code k = } prefix (at most two characters) is dropped; {@code \sqrt2} → {@code \sqrt{2}};
 * spaces removed; {@code \frac12} → {@code \frac{1}{2}}; {@code 0.5} → {@code \frac{1}{2}}; an integer
 * {@code a/b} → {@code \frac{a}{b}}. Like the original, a malformed answer is returned as it was.
 */
public final class HendrycksNormalizer {

    private static final Pattern WHOLE_TEXT = Pattern.compile("^\\\\text\\{(.+?)\\}$", Pattern.DOTALL);
    private static final Pattern INT_SLASH_INT = Pattern.compile("(-?\\d+)/(-?\\d+)");

    /** The normal form of {@code answer} ({@code null} stays {@code null}). */
    public String normalize(String answer) {
        if (answer == null) {
            return null;
        }
        String s = answer.strip();
        Matcher m = WHOLE_TEXT.matcher(s);
        if (m.find()) {
            s = m.group(1).strip();
        }
        String stripped = stripString(s);
        return stripped == null ? s : stripped;
    }

    /** {@code _strip_string}; {@code null} where the original raises. */
    private static String stripString(String input) {
        String s = input.replace("\n", "").replace("\\!", "").replace("\\\\", "\\")
                .replace("tfrac", "frac").replace("dfrac", "frac").replace("\\left", "").replace("\\right", "")
                .replace("^{\\circ}", "").replace("^\\circ", "").replace("\\$", "");
        s = removeRightUnits(s);
        if (s == null) {
            return null;
        }
        s = s.replace("\\%", "").replace(" .", " 0.").replace("{.", "{0.");
        if (s.isEmpty()) {
            return s;
        }
        s = leadingZeroShortLhs(s);
        s = fixSqrt(s);
        if (s == null) {
            return null;
        }
        s = fixFracs(s.replace(" ", ""));
        if (s.equals("0.5")) {
            s = "\\frac{1}{2}";
        }
        return fixSlash(s);
    }

    /**
     * The step both this and Qwen2.5-Math's {@code strip_string} take on a non-empty answer: a leading {@code .}
     * gets a {@code 0}, and of {@code k=v} with a left side of at most two characters only {@code v} is kept.
     */
    static String leadingZeroShortLhs(String answer) {
        String s = answer.charAt(0) == '.' ? "0" + answer : answer;
        String[] sides = s.split("=", -1);
        return sides.length == 2 && sides[0].length() <= 2 ? sides[1] : s;
    }

    private static String removeRightUnits(String s) {
        if (!s.contains("\\text{ ")) {
            return s;
        }
        String[] parts = s.split("\\\\text\\{ ", -1);
        return parts.length == 2 ? parts[0] : null;
    }

    private static String fixSqrt(String s) {
        if (!s.contains("\\sqrt")) {
            return s;
        }
        String[] parts = s.split("\\\\sqrt", -1);
        StringBuilder out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                return null;
            }
            out.append(p.charAt(0) == '{' ? "\\sqrt" + p : "\\sqrt{" + p.charAt(0) + "}" + p.substring(1));
        }
        return out.toString();
    }

    /** {@code _fix_fracs}: {@code \frac12} → {@code \frac{1}{2}}, {@code \frac1{72}} → {@code \frac{1}{72}}. */
    static String fixFracs(String s) {
        String[] parts = s.split("\\\\frac", -1);
        StringBuilder out = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            out.append("\\frac");
            if (!p.isEmpty() && p.charAt(0) == '{') {
                out.append(p);
            } else if (p.length() < 2) {
                return s;
            } else if (p.charAt(1) != '{') {
                out.append('{').append(p.charAt(0)).append("}{").append(p.charAt(1)).append('}').append(p.substring(2));
            } else {
                out.append('{').append(p.charAt(0)).append('}').append(p.substring(1));
            }
        }
        return out.toString();
    }

    private static String fixSlash(String s) {
        Matcher m = INT_SLASH_INT.matcher(s);
        if (!m.matches()) {
            return s;
        }
        String a = new java.math.BigInteger(m.group(1)).toString();
        String b = new java.math.BigInteger(m.group(2)).toString();
        return s.equals(a + "/" + b) ? "\\frac{" + a + "}{" + b + "}" : s;
    }
}
