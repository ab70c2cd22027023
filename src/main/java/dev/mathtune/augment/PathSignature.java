package dev.mathtune.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes two reasoning paths the same (RFT): the list of equations they compute, taken from GSM8K
 * calculator annotations {@code <<expr=value>>} or, failing those, from {@code a op b = c} chains in the text,
 * with spaces, commas and {@code $} removed; a path without equations is identified by its normalised text.
 */
public record PathSignature(String value) {
    private static final Pattern ANNOTATION = Pattern.compile("<<([^<>]*)>>");
    private static final Pattern EQUATION = Pattern.compile(
            "[-(]?\\$?\\d[\\d,.]*(?:\\s*[-+*/×÷x^]\\s*\\(?\\$?\\d[\\d,.]*\\)?%?)+\\s*=\\s*\\$?-?\\d[\\d,.]*");

    /** The signature of a path's text. */
    public static PathSignature of(String path) {
        List<String> equations = new ArrayList<>();
        Matcher a = ANNOTATION.matcher(path);
        while (a.find()) {
            equations.add(clean(a.group(1)));
        }
        if (equations.isEmpty()) {
            Matcher e = EQUATION.matcher(path);
            while (e.find()) {
                equations.add(clean(e.group()));
            }
        }
        return equations.isEmpty()
                ? new PathSignature("text:" + TextNormalizer.normalize(path))
                : new PathSignature("eq:" + String.join(";", equations));
    }

    private static String clean(String equation) {
        String c = equation.replaceAll("[\\s,$]", "").replace('×', '*').replace('÷', '/');
        return c.endsWith(".") ? c.substring(0, c.length() - 1) : c;
    }
}
