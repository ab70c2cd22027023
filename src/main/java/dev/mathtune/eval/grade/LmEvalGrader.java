package dev.mathtune.eval.grade;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * lm-evaluation-harness's verdicts (EleutherAI/lm-evaluation-harness; read at commit 47f16bf6 for
 * {@code lm_eval/tasks/gsm8k/gsm8k.yaml}, {@code gsm8k-cot.yaml}, {@code lm_eval/filters/extraction.py} and
 * {@code lm_eval/tasks/minerva_math/utils.py}).
 * <ul>
 * <li>GSM8K: {@code strict-match} takes the <em>first</em> {@code #### (-?[0-9.,]+)} (gsm8k.yaml; with the
 *     {@code lm-eval-gsm8k-cot} prompt, gsm8k-cot.yaml's {@code The answer is (-?[0-9.,]+).}), {@code flexible-extract}
 *     the <em>last</em> match of {@code (-?[$0-9.,]{2,})|(-?[0-9]+)}; no match is {@code [invalid]}. Both go through
 *     {@code exact_match} with {@code regexes_to_ignore} {@code ","}, {@code "\$"}, {@code "(?s).*#### "},
 *     {@code "\.$"} and ignore_case, applied to prediction and reference alike; the verdict is strict-match's, and
 *     {@link #flexible} gives flexible-extract's.</li>
 * <li>MATH (minerva_math): the answer of {@code Final Answer: The final answer is(.*?). I hope it is correct.}
 *     (the text gets that sentence appended first, as upstream), else {@code [invalidanswer]}; both sides through
 *     Minerva's {@code normalize_final_answer} ({@link MinervaNormalizer}); {@code exact_match} is upstream's
 *     {@code is_equiv}: both must <em>parse</em> as LaTeX and their difference simplify to 0, so plain text answers
 *     never match. Symja's parser and simplifier stand in for sympy's {@code parse_latex} and {@code simplify}.</li>
 * </ul>
 */
public final class LmEvalGrader implements CompletionGrader {

    /** minerva_math's {@code is_equiv} runs under a 5 s alarm. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern HASHES = Pattern.compile("#### (\\-?[0-9\\.\\,]+)");
    private static final Pattern COT = Pattern.compile("The answer is (\\-?[0-9\\.\\,]+).");
    private static final Pattern FLEXIBLE = Pattern.compile("(-?[$0-9.,]{2,})|(-?[0-9]+)");
    private static final List<Pattern> IGNORE = List.of(Pattern.compile(","), Pattern.compile("\\$"),
            Pattern.compile("(?s).*#### "), Pattern.compile("\\.$"));
    private static final Pattern MINERVA = Pattern.compile(
            "Final Answer: The final answer is(.*?). I hope it is correct.");
    static final String INVALID = "[invalid]";
    static final String INVALID_ANSWER = "[invalidanswer]";

    private final MathAnswerGrader.Dataset dataset;
    private final boolean cotStrict;
    private final Duration timeout;

    /** {@code cotStrict}: strict-match with gsm8k-cot.yaml's pattern instead of gsm8k.yaml's. */
    public LmEvalGrader(MathAnswerGrader.Dataset dataset, boolean cotStrict) {
        this(dataset, cotStrict, DEFAULT_TIMEOUT);
    }

    public LmEvalGrader(MathAnswerGrader.Dataset dataset, boolean cotStrict, Duration timeout) {
        this.dataset = dataset;
        this.cotStrict = cotStrict;
        this.timeout = timeout;
    }

    /** The grader for a run with prompt {@code promptName}: the CoT strict pattern for {@code lm-eval-gsm8k-cot}. */
    public static LmEvalGrader forPrompt(MathAnswerGrader.Dataset dataset, String promptName) {
        return new LmEvalGrader(dataset, "lm-eval-gsm8k-cot".equals(promptName));
    }

    @Override
    public String name() {
        return GraderName.LM_EVAL.wireName();
    }

    @Override
    public GraderOutcome grade(String completion, String reference) {
        String text = completion == null ? "" : completion;
        try {
            return dataset == MathAnswerGrader.Dataset.GSM8K ? gsm8k(text, reference) : minerva(text, reference);
        } catch (RuntimeException | StackOverflowError e) {
            return new GraderOutcome(null, null, false, "error: " + e);
        }
    }

    /** GSM8K's flexible-extract verdict (for MATH, the same as {@link #grade}). */
    public GraderOutcome flexible(String completion, String reference) {
        if (dataset != MathAnswerGrader.Dataset.GSM8K) {
            return grade(completion, reference);
        }
        String answer = filter(FLEXIBLE, completion == null ? "" : completion, false);
        return exactMatch(answer, reference, "flexible-extract");
    }

    private GraderOutcome gsm8k(String text, String reference) {
        String answer = filter(cotStrict ? COT : HASHES, text, true);
        return exactMatch(answer, reference, cotStrict ? "strict-match (gsm8k-cot)" : "strict-match");
    }

    private static GraderOutcome exactMatch(String answer, String reference, String filter) {
        String p = ignore(answer);
        String r = ignore(reference);
        boolean found = !answer.equals(INVALID);
        return new GraderOutcome(found ? answer : null, p, p.equals(r), filter + "; exact_match vs '" + r + "'");
    }

    /** RegexFilter then take_first: the first ({@code first}) or last match; a tuple gives its first non-empty group. */
    private static String filter(Pattern pattern, String text, boolean first) {
        Matcher m = pattern.matcher(text);
        String chosen = null;
        while (m.find()) {
            String value = m.groupCount() == 1 ? m.group(1) : firstGroup(m);
            chosen = value;
            if (first) {
                break;
            }
        }
        return chosen == null ? INVALID : chosen.strip();
    }

    private static String firstGroup(Matcher m) {
        for (int g = 1; g <= m.groupCount(); g++) {
            if (m.group(g) != null && !m.group(g).isEmpty()) {
                return m.group(g);
            }
        }
        return "";
    }

    private static String ignore(String s) {
        String out = s;
        for (Pattern p : IGNORE) {
            out = p.matcher(out).replaceAll("");
        }
        return out.toLowerCase(Locale.ROOT);
    }

    private GraderOutcome minerva(String text, String reference) {
        Matcher m = MINERVA.matcher(text + "I hope it is correct.");
        String raw = m.find() ? m.group(1).strip() : INVALID_ANSWER;
        String answer = MinervaNormalizer.normalize(raw);
        String gold = MinervaNormalizer.normalize(reference);
        boolean equal = SymbolicEquivalence.shared().equivalent(answer, gold, timeout)
                == SymbolicEquivalence.Outcome.EQUAL;
        return new GraderOutcome(raw.equals(INVALID_ANSWER) ? null : raw, answer, equal,
                "minerva exact_match (is_equiv) vs '" + gold + "'");
    }
}
