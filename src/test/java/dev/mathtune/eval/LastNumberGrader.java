package dev.mathtune.eval;

import dev.mathtune.eval.grade.AnswerGrader;
import dev.mathtune.eval.grade.Extraction;
import dev.mathtune.eval.grade.Verdict;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test double for the real grader: extracts the last number of a completion (commas dropped), grades leniently
 * by numeric value and strictly by exact string.
 */
final class LastNumberGrader implements AnswerGrader {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?");

    @Override
    public Extraction extract(String completion) {
        Matcher m = NUMBER.matcher(completion.replace(",", ""));
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? Extraction.none() : new Extraction(last, "last number");
    }

    @Override
    public Verdict grade(String predicted, String reference) {
        try {
            boolean same = new BigDecimal(predicted).compareTo(new BigDecimal(reference.replace(",", ""))) == 0;
            return new Verdict(same, same ? "numeric" : "incorrect");
        } catch (NumberFormatException e) {
            return gradeStrict(predicted, reference);
        }
    }

    @Override
    public Verdict gradeStrict(String predicted, String reference) {
        boolean same = predicted.equals(reference);
        return new Verdict(same, same ? "string" : "incorrect");
    }
}
