package dev.mathtune.eval.grade;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Qwen2.5-Math's {@code extract_answer(pred_str, data_name)} ({@code evaluation/parser.py}, commit a45202bd), for
 * GSM8K and MATH: Minerva's {@code final answer is $X$. I hope}, else the text after the <em>last</em>
 * {@code "boxed"} (braces counted; unbalanced: the rest of the text; no brace: up to the next {@code $}), else the
 * text after the last {@code "he answer is"} or {@code "final answer is"} (to the end of the completion), else the
 * last number {@code -?\d*\.?\d+} with commas removed; then newlines and their following spaces are deleted, one
 * leading {@code :} and one trailing {@code .} and {@code /} dropped, and the result put through
 * {@link QwenAnswerNormalizer#strip}.
 */
public final class QwenAnswerExtractor {

    private static final Pattern LAST_NUMBER = Pattern.compile("-?\\d*\\.?\\d+", Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern NEWLINE_SPACES = Pattern.compile("\\n\\s*", Pattern.UNICODE_CHARACTER_CLASS);

    private QwenAnswerExtractor() {
    }

    /** The extracted answer before {@code strip_string}, with the rule that found it. */
    static Extraction raw(String completion) {
        String s = completion.replace("\u043a\u0438", "");
        if (s.contains("final answer is $") && s.contains("$. I hope")) {
            String tmp = s.substring(s.indexOf("final answer is $") + "final answer is $".length());
            int end = tmp.indexOf("$. I hope");
            return new Extraction((end >= 0 ? tmp.substring(0, end) : tmp).strip(), "final answer is $");
        }
        if (s.contains("boxed")) {
            return new Extraction(afterLastBoxed(s.substring(s.lastIndexOf("boxed") + "boxed".length())), "boxed");
        }
        if (s.contains("he answer is")) {
            return new Extraction(s.substring(s.lastIndexOf("he answer is") + "he answer is".length()).strip(),
                    "the answer is");
        }
        if (s.contains("final answer is")) {
            return new Extraction(s.substring(s.lastIndexOf("final answer is") + "final answer is".length()).strip(),
                    "final answer is");
        }
        if (s.contains("答案是")) {
            String after = s.split("答案是", -1)[1].strip();
            int para = after.indexOf("\n\n");
            return new Extraction((para >= 0 ? after.substring(0, para) : after).strip(), "答案是");
        }
        Matcher m = LAST_NUMBER.matcher(s.replace(",", ""));
        String last = "";
        while (m.find()) {
            last = m.group();
        }
        return new Extraction(last, "last number");
    }

    /** {@code extract_answer}: the cleaned, {@code strip_string}-normalised answer ({@code ""} when none). */
    public static String extract(String completion) {
        Extraction raw = raw(completion);
        return raw.rule().equals("boxed") && raw.answer().isEmpty() ? "" : clean(raw.answer());
    }

    private static String clean(String pred) {
        String p = NEWLINE_SPACES.matcher(pred).replaceAll("");
        if (!p.isEmpty() && p.charAt(0) == ':') {
            p = p.substring(1);
        }
        if (!p.isEmpty() && p.charAt(p.length() - 1) == '.') {
            p = p.substring(0, p.length() - 1);
        }
        if (!p.isEmpty() && p.charAt(p.length() - 1) == '/') {
            p = p.substring(0, p.length() - 1);
        }
        return QwenAnswerNormalizer.strip(p, false);
    }

    private static String afterLastBoxed(String ans) {
        if (ans.isEmpty()) {
            return "";
        }
        if (ans.charAt(0) != '{') {
            int dollar = ans.indexOf('$');
            return (dollar >= 0 ? ans.substring(0, dollar) : ans).strip();
        }
        int depth = 1;
        StringBuilder a = new StringBuilder();
        for (int i = 1; i < ans.length(); i++) {
            char c = ans.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                break;
            }
            a.append(c);
        }
        return a.toString();
    }
}
