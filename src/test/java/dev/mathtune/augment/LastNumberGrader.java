package dev.mathtune.augment;

import dev.mathtune.eval.grade.AnswerGrader;
import dev.mathtune.eval.grade.Extraction;
import dev.mathtune.eval.grade.Verdict;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.mathtune.eval.BoxedAnswer;

/** Test double for the grader: boxed content, else {@code #### N}, else the last number; numeric compare. */
final class LastNumberGrader implements AnswerGrader {
    private static final Pattern HASH = Pattern.compile("####\\s*(\\S+)");
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?");

    @Override
    public Extraction extract(String completion) {
        String boxed = BoxedAnswer.lastWellFormed(completion);
        if (boxed != null) {
            return new Extraction(boxed, "boxed");
        }
        String last = lastGroup(HASH.matcher(completion), 1);
        if (last != null) {
            return new Extraction(last, "####");
        }
        last = lastGroup(NUMBER.matcher(completion), 0);
        return last == null ? Extraction.none() : new Extraction(last, "last number");
    }

    private static String lastGroup(Matcher m, int group) {
        String last = null;
        while (m.find()) {
            last = m.group(group);
        }
        return last;
    }

    @Override
    public Verdict grade(String predicted, String reference) {
        try {
            boolean eq = new BigDecimal(clean(predicted)).compareTo(new BigDecimal(clean(reference))) == 0;
            return new Verdict(eq, "numeric");
        } catch (NumberFormatException e) {
            return new Verdict(predicted.strip().equals(reference.strip()), "string");
        }
    }

    @Override
    public Verdict gradeStrict(String predicted, String reference) {
        return grade(predicted, reference);
    }

    private static String clean(String s) {
        String c = s.replace(",", "").replace("$", "").strip();
        return c.endsWith(".") ? c.substring(0, c.length() - 1) : c;
    }
}
