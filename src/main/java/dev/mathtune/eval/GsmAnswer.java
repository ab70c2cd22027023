package dev.mathtune.eval;

import java.util.regex.Pattern;

/**
 * A GSM8K {@code answer} field: a worked solution with calculator annotations {@code <<expr=value>>} and a last
 * line {@code "#### N"}. The reference is {@code N} with thousands commas removed.
 */
public record GsmAnswer(String reasoning, String finalAnswer) {
    private static final Pattern ANNOTATION = Pattern.compile("<<[^>]*>>");
    private static final String MARK = "####";

    /** Splits an answer field at its last {@code ####}; {@code null} when the marker is missing or empty. */
    public static GsmAnswer parse(String answer) {
        int mark = answer.lastIndexOf(MARK);
        if (mark < 0) {
            return null;
        }
        String value = answer.substring(mark + MARK.length()).trim().replace(",", "");
        if (value.isEmpty()) {
            return null;
        }
        return new GsmAnswer(answer.substring(0, mark).strip(), value);
    }

    /** The reasoning without calculator annotations, then {@code "The answer is N."}: a k-shot exemplar answer. */
    public String asChainOfThought() {
        String clean = ANNOTATION.matcher(reasoning).replaceAll("");
        return clean + (clean.isEmpty() ? "" : "\n") + "The answer is " + finalAnswer + ".";
    }
}
