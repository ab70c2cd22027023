package dev.mathtune.eval.grade;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pulls the final answer out of a completion. Rules are tried in this order; the first that finds something wins and
 * names itself in {@link Extraction#rule()}:
 * <ol>
 *   <li>{@code "boxed"}: the last {@code \boxed{…}} or {@code \fbox{…}} (braces matched, so nesting is kept), or the
 *       brace-less form {@code \boxed 5} (up to the next {@code $} or space);</li>
 *   <li>{@code "final answer"}: the last {@code final answer is $X$} (Minerva's
 *       "Final Answer: The final answer is $X$. I hope it is correct.");</li>
 *   <li>{@code "####"}: GSM8K's last {@code #### N} (the rest of that line, thousands commas removed);</li>
 *   <li>{@code "the answer is"}: the rest of the sentence after the last "answer is" / "answer:"
 *       (a leading {@code $…$} is unwrapped);</li>
 *   <li>{@code "whole"}: the whole text, when it is already a bare answer (one line of at most 80 characters with no
 *       two consecutive words outside {@code \text{}}: {@code \frac{1}{2}}, {@code 18 dollars});</li>
 *   <li>{@code "last number"}: the last number in the text (integer, decimal or {@code a/b}; thousands commas removed).</li>
 * </ol>
 */
public final class AnswerExtractor {

    private static final Pattern BOX = Pattern.compile("\\\\(?:boxed|fbox)(?![A-Za-z])");
    private static final Pattern FINAL_ANSWER = Pattern.compile("(?i)final answer is\\s*\\$([^$]+)\\$");
    private static final Pattern HASHES = Pattern.compile("####\\s*([^\\n]*)");
    private static final Pattern ANSWER_IS = Pattern.compile("(?i)answer(?:\\s+is|\\s*:)\\s*:?\\s*([^\\n]*)");
    private static final Pattern NUMBER = Pattern.compile(
            "-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:/(?:\\d{1,3}(?:,\\d{3})+|\\d+))?|-?\\.\\d+");
    private static final Pattern TEXT_GROUP = Pattern.compile("\\\\(?:text|mbox|mathrm)\\s*\\{[^{}]*\\}");
    private static final Pattern SENTENCE = Pattern.compile("[A-Za-z]{2,}[,.:;]?\\s+[A-Za-z]{2,}");
    private static final Pattern THOUSANDS = Pattern.compile("(?<=\\d),(?=\\d{3}(?!\\d))");

    private record Rule(String name, Function<String, String> find) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("boxed", AnswerExtractor::lastBoxed),
            new Rule("final answer", text -> lastGroup(FINAL_ANSWER, text)),
            new Rule("####", AnswerExtractor::afterHashes),
            new Rule("the answer is", AnswerExtractor::afterAnswerIs),
            new Rule("whole", AnswerExtractor::bareAnswer),
            new Rule("last number", AnswerExtractor::lastNumber));

    /** The final answer of {@code completion} and the rule that found it; {@link Extraction#none()} if no rule fires. */
    public Extraction extract(String completion) {
        if (completion == null || completion.isBlank()) {
            return Extraction.none();
        }
        for (Rule rule : RULES) {
            String answer = rule.find().apply(completion);
            if (answer != null && !answer.isBlank()) {
                return new Extraction(answer.strip(), rule.name());
            }
        }
        return Extraction.none();
    }

    /** Content of the last balanced {@code \boxed{…}} / {@code \fbox{…}} (or {@code \boxed X}), else {@code null}. */
    static String lastBoxed(String text) {
        Matcher m = BOX.matcher(text);
        String last = null;
        while (m.find()) {
            String content = boxContent(text, m.end());
            if (content != null) {
                last = content;
            }
        }
        return last;
    }

    private static String boxContent(String text, int afterCommand) {
        int start = BracedGroup.skipSpaces(text, afterCommand);
        if (start < text.length() && text.charAt(start) == '{') {
            BracedGroup group = BracedGroup.at(text, start);
            return group == null ? null : group.content();
        }
        if (start == afterCommand) {
            return null;
        }
        int end = start;
        while (end < text.length() && text.charAt(end) != '$' && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return end > start ? text.substring(start, end) : null;
    }

    private static String afterHashes(String text) {
        String answer = lastGroup(HASHES, text);
        return answer == null ? null : stripTrailingPeriod(THOUSANDS.matcher(answer.strip()).replaceAll(""));
    }

    private static String afterAnswerIs(String text) {
        String rest = lastGroup(ANSWER_IS, text);
        if (rest == null) {
            return null;
        }
        rest = rest.replace("**", "").strip();
        if (rest.startsWith("$")) {
            int close = rest.indexOf('$', 1);
            return close > 1 ? rest.substring(1, close) : rest.substring(1);
        }
        int sentenceEnd = rest.indexOf(". ");
        return stripTrailingPeriod(sentenceEnd >= 0 ? rest.substring(0, sentenceEnd) : rest);
    }

    /** The whole text when it is already a bare answer: one line of at most 80 characters, not a sentence. */
    private static String bareAnswer(String text) {
        String t = text.strip();
        if (t.length() > 80 || t.contains("\n")) {
            return null;
        }
        String words = TEXT_GROUP.matcher(t).replaceAll("").replaceAll("\\\\[A-Za-z]+", " ");
        return SENTENCE.matcher(words).find() ? null : t;
    }

    private static String lastNumber(String text) {
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? null : last.replace(",", "");
    }

    private static String lastGroup(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        return last;
    }

    private static String stripTrailingPeriod(String s) {
        String t = s.strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1).strip() : t;
    }
}
