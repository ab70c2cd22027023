package dev.mathtune.eval;

import dev.mathtune.UserError;
import dev.mathtune.eval.Exemplars.Exemplar;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The evaluation prompts of published toolkits, byte for byte: text, examples and their order, separators, stop
 * strings, token budget. Each builder names the upstream files it follows; the golden prompts of
 * {@code src/test/resources/protocols/} were made by running that code (its README gives the command).
 * <ul>
 * <li>QwenLM/Qwen2.5-Math @ {@value #QWEN}: {@code evaluation/utils.py} (PROMPT_TEMPLATES, construct_prompt,
 * load_prompt), {@code evaluation/examples.py} (get_examples), {@code evaluation/parser.py} (parse_question),
 * {@code evaluation/math_eval.py} (stop_words, stop_token_ids 151645/151643, --max_tokens_per_call 2048, which
 * {@code sh/eval.sh} leaves at its default).</li>
 * <li>EleutherAI/lm-evaluation-harness @ {@value #LM_EVAL}: {@code lm_eval/tasks/gsm8k/gsm8k.yaml},
 * {@code gsm8k-cot.yaml}, {@code lm_eval/tasks/minerva_math/utils.py} (doc_to_text, list_fewshot_samples) and
 * {@code minerva_math_algebra.yaml}; the few-shot text is {@code ConfigurableTask.fewshot_context} /
 * {@code build_qa_turn} ({@code lm_eval/api/task.py}) with target_delimiter {@code " "} and fewshot_delimiter
 * {@code "\n\n"} ({@code lm_eval/config/task.py}); {@code lm_eval/api/samplers.py} draws the shots; the budget
 * is {@code max_gen_toks} 256 ({@code lm_eval/defaults.py} DEFAULT_MAX_GEN_TOKS).</li>
 * </ul>
 */
final class PublishedProtocols {
    static final String QWEN = "a45202bd16f1ec06f433442dc1152d0074773465";
    static final String LM_EVAL = "4e7e0d47f33bc71070c1d38394bafbb52b117163";
    /** math_eval.py's stop_words; the stop_token_ids 151645/151643 are the same tokens, matched as text here. */
    static final List<String> QWEN_STOP = List.of("</s>", "<|im_end|>", "<|endoftext|>");
    static final int QWEN_BUDGET = 2048;
    static final int LM_EVAL_BUDGET = 256;
    /** The lm-eval default sampler's seed ({@code fewshot_random_seed}, {@code lm_eval/defaults.py}). */
    static final long LM_EVAL_SEED = 1234L;
    private static final String QWEN_SYSTEM = "<|im_start|>system\n" + PromptRegistry.QWEN_SYSTEM + "<|im_end|>\n";

    private PublishedProtocols() {
    }

    /**
     * {@code qwen25-math-cot}: PROMPT_TEMPLATES["qwen25-math-cot"], ChatML written into the text. With shots,
     * construct_prompt's "hotfix" puts the demos ({@code q + "\n" + a}, joined by the splitter {@code "\n\n"})
     * and then the question into the one user turn.
     */
    static PromptTemplate qwen25MathCot(String name, DatasetKind kind, int shots) {
        int k = Math.max(shots, 0);
        String demos = qwenExamples(name, kind, k).stream().map(e -> e.question() + "\n" + e.answer())
                .collect(Collectors.joining("\n\n"));
        String user = k == 0 ? PromptTemplate.QUESTION : demos + "\n\n" + PromptTemplate.QUESTION;
        String text = QWEN_SYSTEM + "<|im_start|>user\n" + user + "<|im_end|>\n<|im_start|>assistant\n";
        return new PromptTemplate(name, null, "", text, QWEN_STOP, new PromptTemplate.Protocol(k, QWEN_BUDGET,
                "QwenLM/Qwen2.5-Math@" + QWEN + " evaluation/utils.py PROMPT_TEMPLATES['qwen25-math-cot']",
                true, null));
    }

    /**
     * {@code qwen-cot}: PROMPT_TEMPLATES["cot"] = ("Question: {input}\nAnswer: ", "{output}", "\n\n\n"), the demos
     * joined by {@code "\n\n\n"}, and construct_prompt's final {@code strip(" ")} (so the text ends "Answer:");
     * math_eval.py adds the stop {@code "\n\nQuestion:"} for this type. Default shots: 8 for GSM8K (all of
     * examples.py's list), 4 for MATH (the first 4 of its 5, the published MATH setting).
     */
    static PromptTemplate qwenCot(String name, DatasetKind kind, int shots) {
        int k = shots >= 0 ? shots : kind == DatasetKind.MATH ? 4 : 8;
        List<Exemplar> examples = qwenExamples(name, kind, k);
        String demos = examples.stream().map(e -> "Question: " + e.question() + "\nAnswer: " + e.answer())
                .collect(Collectors.joining("\n\n\n"));
        String prefix = examples.isEmpty() ? "" : demos + "\n\n\n";
        List<String> stop = new java.util.ArrayList<>(QWEN_STOP);
        stop.add("\n\nQuestion:");
        return new PromptTemplate(name, null, prefix, "Question: " + PromptTemplate.QUESTION + "\nAnswer:", stop,
                new PromptTemplate.Protocol(examples.size(), QWEN_BUDGET,
                        "QwenLM/Qwen2.5-Math@" + QWEN + " evaluation/utils.py PROMPT_TEMPLATES['cot'], evaluation/examples.py",
                        true, null));
    }

    /** examples.py's list for the dataset ({@code gsm8k} or {@code math}), the first {@code k} (all if negative). */
    private static List<Exemplar> qwenExamples(String name, DatasetKind kind, int k) {
        if (k == 0) {
            return List.of();
        }
        String file = switch (kind) {
            case GSM8K -> "exemplars-gsm8k";
            case MATH -> "exemplars-math";
            default -> throw new UserError("prompt '" + name + "' takes its examples from Qwen's examples.py, which "
                    + "has GSM8K and MATH lists; pass --kind gsm8k or --kind math, or --shots 0");
        };
        return Exemplars.load(file).first(k, name);
    }

    /**
     * {@code lm-eval-gsm8k}: task gsm8k, doc_to_text {@code "Question: {{question}}\nAnswer:"}, doc_to_target
     * {@code "{{answer}}"} (the whole train solution, calculator annotations and {@code ####} included), until
     * {@code ["Question:", "</s>", "<|im_end|>"]}, 5 shots. No fewshot_config, so the "default" sampler: one
     * {@code random.Random(1234)} for the whole task and {@code rnd.sample(train_docs, 5)} per test doc, in doc
     * order; item {@code i}'s shots are the {@code (i+1)}-th draw (the first 5 train items are not what it uses).
     */
    static PromptTemplate lmEvalGsm8k(String name, DatasetKind kind, int shots, Path train) {
        requireKind(name, kind, DatasetKind.GSM8K, "lm-eval-minerva-math");
        int k = shots < 0 ? 5 : shots;
        PromptTemplate.ItemShots draw = k == 0 ? index -> "" : new LmEvalDraw(train, k, LM_EVAL_SEED);
        return new PromptTemplate(name, null, "", "Question: " + PromptTemplate.QUESTION + "\nAnswer:",
                List.of("Question:", "</s>", "<|im_end|>"), new PromptTemplate.Protocol(k, LM_EVAL_BUDGET,
                "EleutherAI/lm-evaluation-harness@" + LM_EVAL + " lm_eval/tasks/gsm8k/gsm8k.yaml, lm_eval/api/samplers.py",
                false, draw));
    }

    /**
     * {@code lm-eval-gsm8k-cot}: task gsm8k_cot, doc_to_text {@code "Q: {{question}}\nA:"}, the 8 exemplars of
     * Wei et al. written in the yaml (sampler first_n), until {@code ["Q:", "</s>", "<|im_end|>"]}.
     */
    static PromptTemplate lmEvalGsm8kCot(String name, DatasetKind kind, int shots) {
        requireKind(name, kind, DatasetKind.GSM8K, "lm-eval-minerva-math");
        return lmEvalFirstN(name, "exemplars-gsm8k-cot", shots < 0 ? 8 : shots, "Q: ", "\nA:",
                List.of("Q:", "</s>", "<|im_end|>"), "lm_eval/tasks/gsm8k/gsm8k-cot.yaml");
    }

    /**
     * {@code lm-eval-minerva-math}: minerva_math (and minerva_math500), doc_to_text
     * {@code "Problem:\n" + problem + "\n\nSolution:"}, the 4 Minerva exemplars of list_fewshot_samples (first_n;
     * a shot's target is its solution), until {@code ["Problem:"]}.
     */
    static PromptTemplate lmEvalMinervaMath(String name, DatasetKind kind, int shots) {
        requireKind(name, kind, DatasetKind.MATH, "lm-eval-gsm8k or lm-eval-gsm8k-cot");
        return lmEvalFirstN(name, "exemplars-minerva-math", shots < 0 ? 4 : shots, "Problem:\n", "\n\nSolution:",
                List.of("Problem:"), "lm_eval/tasks/minerva_math/utils.py, minerva_math_algebra.yaml");
    }

    private static PromptTemplate lmEvalFirstN(String name, String file, int k, String before, String after,
                                               List<String> stop, String source) {
        String prefix = Exemplars.load(file).first(k, name).stream()
                .map(e -> lmEvalShot(before + e.question() + after, e.answer())).collect(Collectors.joining());
        return new PromptTemplate(name, null, prefix, before + PromptTemplate.QUESTION + after, stop,
                new PromptTemplate.Protocol(k, LM_EVAL_BUDGET, "EleutherAI/lm-evaluation-harness@" + LM_EVAL + " "
                        + source, false, null));
    }

    /** build_qa_turn as plain text: the question, target_delimiter " ", the target, fewshot_delimiter "\n\n". */
    static String lmEvalShot(String questionText, String target) {
        return questionText + " " + target + "\n\n";
    }

    private static void requireKind(String name, DatasetKind kind, DatasetKind wanted, String other) {
        if (kind != null && kind != wanted && kind != DatasetKind.AUTO) {
            throw new UserError("prompt '" + name + "' is lm-eval's " + wanted.name() + " protocol; for "
                    + kind.name() + " data use " + other);
        }
    }
}
