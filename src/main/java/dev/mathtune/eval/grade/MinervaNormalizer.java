package dev.mathtune.eval.grade;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Minerva's {@code normalize_final_answer} (Lewkowycz et al. 2022, appendix D) as lm-evaluation-harness's
 * {@code lm_eval/tasks/minerva_math/utils.py} has it: keep the text after the last {@code =}; the substitutions
 * (an article {@code "an "}/{@code "a "} deleted anywhere, {@code \$}, spaces, {@code mbox}→{@code text}, ...); the
 * removed expressions (unit words such as {@code inches}, {@code \ldots}, {@code ^\circ}, ...); the content of the
 * first {@code $…$}; unwrap {@code \text{}}, {@code \textbf{}}, {@code \overline{}}, {@code \boxed{}};
 * {@code \fracab}→{@code \frac{a}{b}}, {@code \sqrta}→{@code \sqrt{a}}; drop {@code $}; thousands commas out of a
 * plain integer.
 */
final class MinervaNormalizer {

    private static final List<String[]> SUBSTITUTIONS = List.of(new String[] {"an ", ""}, new String[] {"a ", ""},
            new String[] {".$", "$"}, new String[] {"\\$", ""}, new String[] {"\\ ", ""}, new String[] {" ", ""},
            new String[] {"mbox", "text"}, new String[] {",\\text{and}", ","}, new String[] {"\\text{and}", ","},
            new String[] {"\\text{m}", "\\text{}"});
    private static final List<String> REMOVED = List.of("square", "ways", "integers", "dollars", "mph", "inches", "ft",
            "hours", "km", "units", "\\ldots", "sue", "points", "feet", "minutes", "digits", "cents", "degrees", "cm",
            "gm", "pounds", "meters", "meals", "edges", "students", "childrentickets", "multiples", "\\text{s}",
            "\\text{.}", "\\text{\ns}", "\\text{}^2", "\\text{}^3", "\\text{\n}", "\\text{}", "\\mathrm{th}",
            "^\\circ", "^{\\circ}", "\\;", ",\\!", "{,}", "\"", "\\dots");
    private static final Pattern DOLLARS = Pattern.compile("(.*?)(\\$)(.*?)(\\$)(.*)");
    private static final Pattern TEXT = Pattern.compile("(\\\\text\\{)(.*?)(\\})");
    private static final Pattern TEXTBF = Pattern.compile("(\\\\textbf\\{)(.*?)(\\})");
    private static final Pattern OVERLINE = Pattern.compile("(\\\\overline\\{)(.*?)(\\})");
    private static final Pattern BOXED = Pattern.compile("(\\\\boxed\\{)(.*)(\\})");
    private static final Pattern FRAC = Pattern.compile("(frac)([^{])(.)");
    private static final Pattern SQRT = Pattern.compile("(sqrt)([^{])");

    private MinervaNormalizer() {
    }

    static String normalize(String finalAnswer) {
        String[] sides = finalAnswer.split("=", -1);
        String s = sides[sides.length - 1];
        for (String[] sub : SUBSTITUTIONS) {
            s = s.replace(sub[0], sub[1]);
        }
        for (String expr : REMOVED) {
            s = s.replace(expr, "");
        }
        s = DOLLARS.matcher(s).replaceAll("\\$$3\\$");
        s = TEXT.matcher(s).replaceAll("$2");
        s = TEXTBF.matcher(s).replaceAll("$2");
        s = OVERLINE.matcher(s).replaceAll("$2");
        s = BOXED.matcher(s).replaceAll("$2");
        s = FRAC.matcher(s).replaceAll("frac{$2}{$3}");
        s = SQRT.matcher(s).replaceAll("sqrt{$2}");
        s = s.replace("$", "");
        String plain = s.replace(",", "");
        if (!plain.isEmpty() && plain.chars().allMatch(Character::isDigit)) {
            s = plain;
        }
        return s;
    }
}
