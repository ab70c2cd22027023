package dev.mathtune.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.mathtune.eval.BoxedAnswer;

/**
 * Parses a teacher's evolution output ({@code New question: ...}, plus {@code Solution: ... \boxed{}} for MATH).
 *
 * <p>Tolerated: chatter before and after, markdown (bold or italic labels such as {@code **New Question:**},
 * headings, code fences, quotes), {@code problem} instead of {@code question}, the label on its own line, a
 * missing trailing newline, and an echo of the prompt (a label whose content is the {@code <...>} placeholder
 * is skipped; the last real label wins). The question ends at the first blank line or the next section label.
 * Rejected, with a reason: empty output, no label, only placeholders, a question under four words, and for
 * MATH a missing {@code Solution:} section or one without a {@code \boxed{}} answer.
 */
public final class EvolvedQuestionParser {
    /** Rejection reasons, stable strings counted in the summary. */
    public static final String EMPTY = "empty output";
    public static final String NO_LABEL = "no 'New question:' label";
    public static final String PLACEHOLDER = "only the prompt's placeholder (prompt echo)";
    public static final String TOO_SHORT = "question under four words";
    public static final String NO_SOLUTION = "no 'Solution:' section";
    public static final String NO_BOXED = "solution has no \\boxed{} answer";

    private static final Pattern QUESTION_LABEL = Pattern.compile(
            "(?i)\\b(?:new|evolved|rewritten|modified)[ \\t]+(?:math[ \\t]+)?(?:question|problem)[ \\t]*"
                    + "(?:\\([^)\\n]*\\))?[ \\t]*[:：]");
    private static final Pattern SECTION_END = Pattern.compile(
            "(?im)^[ \\t]*(?:solution|answer|final answer|explanation|reasoning|note|notes|original question"
                    + "|original problem|changes?|new question|new problem)[ \\t]*(?:\\([^)\\n]*\\))?[ \\t]*[:：]");
    private static final Pattern SOLUTION_LABEL = Pattern.compile("(?i)\\bsolution[ \\t]*[:：]");
    private static final Pattern BLANK_LINE = Pattern.compile("\\n[ \\t]*\\n");

    /** Parses {@code output}; a MATH output must carry a solution with a boxed answer. */
    public ParsedEvolution parse(String output, DatasetKind kind) {
        if (output == null || output.isBlank()) {
            return ParsedEvolution.rejected(EMPTY);
        }
        String text = stripMarkdown(output);
        List<Integer> labelEnds = new ArrayList<>();
        Matcher m = QUESTION_LABEL.matcher(text);
        while (m.find()) {
            labelEnds.add(m.end());
        }
        if (labelEnds.isEmpty()) {
            return ParsedEvolution.rejected(NO_LABEL);
        }
        String reason = null;
        for (int i = labelEnds.size() - 1; i >= 0; i--) {
            ParsedEvolution parsed = candidate(text, labelEnds.get(i), kind);
            if (parsed.isOk()) {
                return parsed;
            }
            if (reason == null || reason.equals(PLACEHOLDER)) {
                reason = parsed.rejection();
            }
        }
        return ParsedEvolution.rejected(reason);
    }

    private ParsedEvolution candidate(String text, int start, DatasetKind kind) {
        String rest = text.substring(start);
        String question = cleanQuestion(untilSectionEnd(rest));
        if (isPlaceholder(question)) {
            return ParsedEvolution.rejected(PLACEHOLDER);
        }
        if (question.split("\\s+").length < 4) {
            return ParsedEvolution.rejected(TOO_SHORT);
        }
        if (!kind.evolvedQuestionHasSolution()) {
            return ParsedEvolution.ok(new EvolvedQuestion(question, null, null));
        }
        Matcher sol = SOLUTION_LABEL.matcher(rest);
        if (!sol.find()) {
            return ParsedEvolution.rejected(NO_SOLUTION);
        }
        String solution = solutionText(rest.substring(sol.end()));
        if (isPlaceholder(solution)) {
            return ParsedEvolution.rejected(PLACEHOLDER);
        }
        String answer = BoxedAnswer.lastWellFormed(solution);
        if (answer == null || answer.equals("answer")) {
            return ParsedEvolution.rejected(NO_BOXED);
        }
        return ParsedEvolution.ok(new EvolvedQuestion(question, solution, answer));
    }

    /** Text up to the next section label, then up to the first blank line. */
    private static String untilSectionEnd(String rest) {
        String body = rest;
        Matcher end = SECTION_END.matcher(body);
        if (end.find(firstLineEnd(body))) {
            body = body.substring(0, end.start());
        }
        Matcher inlineSolution = SOLUTION_LABEL.matcher(body);
        if (inlineSolution.find()) {
            body = body.substring(0, inlineSolution.start());
        }
        String trimmed = body.strip();
        Matcher blank = BLANK_LINE.matcher(trimmed);
        return blank.find() ? trimmed.substring(0, blank.start()) : trimmed;
    }

    private static int firstLineEnd(String body) {
        int nl = body.indexOf('\n');
        return nl < 0 ? body.length() : nl;
    }

    /** The solution up to the next question label, cut after the line holding the last boxed answer. */
    private static String solutionText(String rest) {
        String body = rest;
        Matcher next = QUESTION_LABEL.matcher(body);
        if (next.find()) {
            body = body.substring(0, next.start());
        }
        int boxedEnd = BoxedAnswer.endOfLast(body);
        if (boxedEnd >= 0) {
            int nl = body.indexOf('\n', boxedEnd);
            body = nl < 0 ? body : body.substring(0, nl);
        }
        return body.strip();
    }

    private static String cleanQuestion(String raw) {
        String q = raw.strip();
        while (q.length() >= 2 && isQuote(q.charAt(0)) && isQuote(q.charAt(q.length() - 1))) {
            q = q.substring(1, q.length() - 1).strip();
        }
        return q.replaceAll("[ \\t]*\\n[ \\t]*", "\n");
    }

    private static boolean isQuote(char c) {
        return c == '"' || c == '\u201c' || c == '\u201d' || c == '\'' || c == '`';
    }

    private static boolean isPlaceholder(String s) {
        String t = s.strip();
        return t.isEmpty() || t.contains("{question}") || t.matches("(?s)<[^<>]{0,80}>\\s*")
                || t.matches("(?s)\\[[^\\[\\]]{0,80}]\\s*") || t.matches("\\.{2,}|…")
                || t.matches("(?s)<[^<>]{0,80}>.*\\\\boxed\\{answer}.*");
    }

    /** Removes markdown decoration that hides labels: bold/italic markers, headings, fences, block quotes. */
    static String stripMarkdown(String output) {
        String text = output.replace("\r\n", "\n").replace('\r', '\n');
        text = text.replaceAll("(?m)^[ \\t]*```[^\\n]*$", "");
        text = text.replaceAll("(?m)^[ \\t]*#{1,6}[ \\t]+", "");
        text = text.replaceAll("(?m)^[ \\t]*>[ \\t]?", "");
        text = text.replace("**", "").replace("__", "");
        return text.replaceAll("(?m)^[ \\t]*\\*(?=[A-Za-z])|(?<=[:：])\\*", "");
    }
}
