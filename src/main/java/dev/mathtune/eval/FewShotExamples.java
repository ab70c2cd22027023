package dev.mathtune.eval;

import dev.mathtune.data.DatasetRow;
import dev.mathtune.data.DatasetRows;
import dev.mathtune.UserError;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * k worked examples drawn from a training split with a fixed seed: the rows are shuffled with
 * {@code new Random(seed)} and the first {@code k} usable ones whose question is not excluded (e.g. a test
 * question) are kept, so the same file, seed and k always give the same examples.
 */
public final class FewShotExamples {
    /** MATH solutions longer than this (or with Asymptote figures) are skipped to keep prompts short. */
    static final int MAX_MATH_SOLUTION_CHARS = 700;

    private FewShotExamples() {
    }

    /**
     * GSM8K examples {@code "Question: q\nAnswer: reasoning\nThe answer is N."} (calculator annotations removed),
     * each followed by a blank line.
     */
    public static String gsm8k(Path train, int k, long seed, Set<String> exclude) {
        return draw(train, k, seed, exclude, "question", row -> {
            GsmAnswer answer = GsmAnswer.parse(row.text("answer"));
            return answer == null ? null
                    : "Question: " + row.text("question").strip() + "\nAnswer: " + answer.asChainOfThought() + "\n\n";
        });
    }

    /**
     * MATH examples in Minerva style: {@code "Problem:\nq\n\nSolution:\ns\nFinal Answer: The final answer is $X$.
     * I hope it is correct."}, each followed by a blank line; X is the last {@code \boxed{}} of the solution.
     */
    public static String math(Path train, int k, long seed, Set<String> exclude) {
        return draw(train, k, seed, exclude, "problem", row -> {
            String solution = row.text("solution").strip();
            String answer = BoxedAnswer.last(solution);
            if (answer == null || answer.isBlank() || solution.length() > MAX_MATH_SOLUTION_CHARS || solution.contains("[asy]")) {
                return null;
            }
            return "Problem:\n" + row.text("problem").strip() + "\n\nSolution:\n" + solution
                    + "\nFinal Answer: The final answer is $" + answer + "$. I hope it is correct.\n\n";
        });
    }

    private static String draw(Path train, int k, long seed, Set<String> exclude, String questionField,
                               Function<DatasetRow, String> format) {
        if (k <= 0) {
            return "";
        }
        List<DatasetRow> rows = new ArrayList<>(DatasetRows.read(train, 0));
        Collections.shuffle(rows, new Random(seed));
        StringBuilder out = new StringBuilder();
        int taken = 0;
        for (DatasetRow row : rows) {
            if (taken == k) {
                break;
            }
            if (!row.has(questionField) || exclude.contains(row.text(questionField).strip())) {
                continue;
            }
            String example = format.apply(row);
            if (example != null) {
                out.append(example);
                taken++;
            }
        }
        if (taken < k) {
            throw UserError.inFile(train, "only " + taken + " usable few-shot examples, " + k + " requested");
        }
        return out.toString();
    }
}
