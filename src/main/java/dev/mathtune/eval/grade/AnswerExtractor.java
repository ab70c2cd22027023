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
 *       brace-less form {@code \boxed 5} (up to the next {@code $} or space); several boxes on the last box's line
 *       joined only by connectors (commas, "and", {@code \quad}, {@code $}) are one list answer
 *       ({@code \boxed{1}, \boxed{2}} is {@code 1, 2});</li>
 *   <li>{@code "final answer"}: the last {@code final answer is $X$} (Minerva's
 *       "Final Answer: The final answer is $X$. I hope it is correct.");</li>
 *   <li>{@code "####"}: GSM8K's last {@code #### N} (the rest of that line, thousands commas removed);</li>
 *   <li>{@code "the answer is"}: the rest of the sentence after the last "answer is" / "answer:" / a line's
 *       {@code A:} (the few-shot GSM8K format)
 *       (a leading {@code $…$} is unwrapped; when that rest is prose, its last math environment or number);</li>
 *   <li>{@code "math"}: the content of the last math environment, {@code \[…\]}, {@code $$…$$}, {@code \(…\)} or
 *       {@code $…$} (the inline ones on one line), that is not prose (no two consecutive words outside
 *       {@code \text{}}: a GSM8K "$18 and pays $5" is not math);</li>
 *   <li>{@code "whole"}: the whole text, when it is already a bare answer (one line of at most 80 characters with no
 *       two consecutive words outside {@code \text{}}: {@code \frac{1}{2}}, {@code 18 dollars});</li>
 *   <li>{@code "last number"}: the last number in the text (integer, decimal or {@code a/b}; thousands commas removed).</li>
 * </ol>
 */
public final class AnswerExtractor {

    private static final Pattern BOX = Pattern.compile("\\\\(?:boxed|fbox)(?![A-Za-z])");
    private static final Pattern FINAL_ANSWER = Pattern.compile("(?i)final answer is\\s*\\$([^$]+)\\$");
    private static final Pattern HASHES = Pattern.compile("####\\s*([^\\n]*)");
    private static final Pattern ANSWER_IS = Pattern.compile(
            "(?:(?i:answer)(?:\\s+is|\\s*:)|(?m:^)A:)\\s*:?\\s*([^\\n]*)");
    private static final Pattern NUMBER = Pattern.compile(
            "-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?(?:/(?:\\d{1,3}(?:,\\d{3})+|\\d+))?|-?\\.\\d+");
    private static final Pattern TEXT_GROUP = Pattern.compile("\\\\(?:text|mbox|mathrm)\\s*\\{[^{}]*\\}");
    private static final Pattern SENTENCE = Pattern.compile("[A-Za-z]{2,}[,.:;]?\\s+[A-Za-z]{2,}");
    private static final Pattern MATH_ENV = Pattern.compile(
            "\\\\\\[(.+?)\\\\\\]|\\$\\$(.+?)\\$\\$|\\\\\\(([^\\n]+?)\\\\\\)|(?<![\\\\$])\\$((?:[^$\\n\\\\]|\\\\[^\\n])+?)\\$", Pattern.DOTALL);
    private static final Pattern CONNECTOR = Pattern.compile(
            "(?:\\s|,|;|\\$|\\\\quad|\\\\qquad|\\\\text\\{\\s*and\\s*\\}|\\band\\b|\\\\[,;: ]|\\\\\\[|\\\\\\]|\\\\\\(|\\\\\\))*");
    private static final Pattern GLUE_WORD = Pattern.compile(
            "(?i)(?<![A-Za-z])(?:and|or|the|for|is|are|of|to|with|per|each|at|in)(?![A-Za-z])");
    private static final Pattern THOUSANDS = Pattern.compile("(?<=\\d),(?=\\d{3}(?!\\d))");

    private record Rule(String name, Function<String, String> find) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("boxed", AnswerExtractor::lastBoxes),
            new Rule("final answer", text -> lastGroup(FINAL_ANSWER, text)),
            new Rule("####", AnswerExtractor::afterHashes),
            new Rule("the answer is", AnswerExtractor::afterAnswerIs),
            new Rule("math", AnswerExtractor::lastMath),
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

    /**
     * The last box, or the list of boxes on its line when only connectors stand between them; {@code null} when
     * there is no box.
     */
    static String lastBoxes(String text) {
        Matcher m = BOX.matcher(text);
        List<int[]> spans = new java.util.ArrayList<>();
        List<String> contents = new java.util.ArrayList<>();
        while (m.find()) {
            int start = BracedGroup.skipSpaces(text, m.end());
            if (start < text.length() && text.charAt(start) == '{') {
                BracedGroup group = BracedGroup.at(text, start);
                if (group != null) {
                    spans.add(new int[] {m.start(), group.end()});
                    contents.add(group.content());
                }
            }
        }
        String last = lastBoxed(text);
        if (contents.size() < 2 || last == null || !last.equals(contents.get(contents.size() - 1))) {
            return last;
        }
        return joinAdjacent(text, spans, contents);
    }

    /**
     * The content of the last math environment that is not prose, else {@code null}; environments on its line
     * joined only by connectors ({@code $1$ and $2$}) make one list answer.
     */
    static String lastMath(String text) {
        Matcher m = MATH_ENV.matcher(text);
        List<int[]> spans = new java.util.ArrayList<>();
        List<String> contents = new java.util.ArrayList<>();
        while (m.find()) {
            for (int g = 1; g <= 4; g++) {
                String content = m.group(g);
                if (content != null && !content.isBlank() && !isProse(content)) {
                    spans.add(new int[] {m.start(), m.end()});
                    contents.add(content.strip());
                }
            }
        }
        return joinAdjacent(text, spans, contents);
    }

    /** The last of {@code contents}, with those before it whose spans are separated only by connectors on one line. */
    private static String joinAdjacent(String text, List<int[]> spans, List<String> contents) {
        if (contents.isEmpty()) {
            return null;
        }
        int first = contents.size() - 1;
        while (first > 0) {
            String gap = text.substring(spans.get(first - 1)[1], spans.get(first)[0]);
            if (!CONNECTOR.matcher(gap).matches() || gap.contains("\n\n")) {
                break;
            }
            first--;
        }
        return String.join(", ", contents.subList(first, contents.size()));
    }

    private static boolean isProse(String s) {
        String words = TEXT_GROUP.matcher(s).replaceAll("").replaceAll("\\\\[A-Za-z]+", " ");
        return SENTENCE.matcher(words).find() || GLUE_WORD.matcher(words).find();
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
        String answer = stripTrailingPeriod(sentenceEnd >= 0 ? rest.substring(0, sentenceEnd) : rest);
        if (!isProse(answer)) {
            return answer;
        }
        String math = lastMath(answer);
        boolean numberAfterMath = answer.lastIndexOf('$') < lastNumberStart(answer);
        return math != null && !numberAfterMath ? math : lastNumber(answer);
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

    private static int lastNumberStart(String text) {
        Matcher m = NUMBER.matcher(text);
        int start = -1;
        while (m.find()) {
            start = m.start();
        }
        return start;
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
