package dev.mathtune.eval;

import dev.mathtune.UserError;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The named evaluation prompts. {@link #list()} describes them without reading any file; {@link #create} builds
 * one, drawing k-shot examples from the training split.
 */
public final class PromptRegistry {
    public static final String QWEN_MATH_COT = "qwen-math-cot";
    public static final String ZERO_SHOT_COT = "zero-shot-cot";
    public static final String GSM8K_KSHOT = "gsm8k-kshot";
    public static final String MATH_KSHOT = "math-kshot";
    /** The format {@code mathtune train} uses without {@code --chat}: the question, a newline, the answer. */
    public static final String SFT = "sft";
    /** Published protocols, byte for byte (see {@link PublishedProtocols} for the upstream files). */
    public static final String QWEN25_MATH_COT = "qwen25-math-cot";
    public static final String QWEN_COT = "qwen-cot";
    public static final String LM_EVAL_GSM8K = "lm-eval-gsm8k";
    public static final String LM_EVAL_GSM8K_COT = "lm-eval-gsm8k-cot";
    public static final String LM_EVAL_MINERVA_MATH = "lm-eval-minerva-math";
    /** Qwen's evaluation stops on these whatever the checkpoint's EOS (math_eval.py stop_token_ids). */
    static final List<String> CHATML_STOP = List.of("<|im_end|>", "<|endoftext|>");

    /** Qwen2.5-Math's chain-of-thought system prompt. */
    public static final String QWEN_SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}.";

    private static final List<PromptInfo> PROMPTS = List.of(
            new PromptInfo(QWEN25_MATH_COT, "text: Qwen2.5-Math's evaluation, ChatML written into the text (system "
                    + "CoT prompt, demos and question in the user turn); 2048 tokens", 0, null, PublishedProtocols.QWEN_STOP),
            new PromptInfo(QWEN_COT, "text: Qwen2.5-Math's 'cot' type, \"Question: ...\\nAnswer:\" with examples.py's "
                    + "examples (default 8 for GSM8K, 4 for MATH); 2048 tokens", -1, null,
                    List.of("</s>", "<|im_end|>", "<|endoftext|>", "\n\nQuestion:")),
            new PromptInfo(LM_EVAL_GSM8K, "text: lm-eval gsm8k, \"Question: ...\\nAnswer:\", 5 train shots drawn per "
                    + "item by random.Random(1234) as lm-eval does; 256 tokens", 5, "gsm8k/train.jsonl",
                    List.of("Question:", "</s>", "<|im_end|>")),
            new PromptInfo(LM_EVAL_GSM8K_COT, "text: lm-eval gsm8k_cot, \"Q: ...\\nA:\", the 8 Wei et al. exemplars; "
                    + "256 tokens", 8, null, List.of("Q:", "</s>", "<|im_end|>")),
            new PromptInfo(LM_EVAL_MINERVA_MATH, "text: lm-eval minerva_math, \"Problem:\\n...\\n\\nSolution:\", the "
                    + "4 Minerva exemplars; 256 tokens", 4, null, List.of("Problem:")),
            new PromptInfo(QWEN_MATH_COT, "chat: the Qwen2.5-Math CoT system prompt + the question through the model's "
                    + "own chat template (= qwen25-math-cot 0-shot for Qwen2.5 models; dataset token budget)",
                    0, null, CHATML_STOP),
            new PromptInfo(ZERO_SHOT_COT, "text: \"Question: ...\\nAnswer: Let's think step by step.\"",
                    0, null, List.of("\n\nQuestion:")),
            new PromptInfo(GSM8K_KSHOT, "text: k GSM8K train examples ending \"The answer is N.\" (seeded), then the question",
                    8, "gsm8k/train.jsonl", List.of("\n\nQuestion:")),
            new PromptInfo(MATH_KSHOT, "text: k MATH train examples, Minerva style \"Final Answer: The final answer is $X$. "
                    + "I hope it is correct.\" (seeded), then the problem", 4, "math/train.jsonl", List.of("\n\nProblem:")),
            new PromptInfo(SFT, "text: the question and a newline, as `mathtune train` formats prompts (for models "
                    + "fine-tuned by mathtune; they stop with EOS)", 0, null, List.of()));

    private PromptRegistry() {
    }

    /** Every registered prompt, in listing order. */
    public static List<PromptInfo> list() {
        return PROMPTS;
    }

    /** The prompt called {@code name}; a {@link UserError} listing the known names otherwise. */
    public static PromptInfo info(String name) {
        return PROMPTS.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow(() -> new UserError(
                "unknown prompt '" + name + "' (known: " + PROMPTS.stream().map(PromptInfo::name)
                        .collect(Collectors.joining(", ")) + ")"));
    }

    /** The default prompt for a dataset kind: {@code qwen-math-cot} (the instruct models' own format). */
    public static String defaultFor(DatasetKind kind) {
        return QWEN_MATH_COT;
    }

    /** The training split of a k-shot prompt inside {@code dataDir} (e.g. {@code data/gsm8k/train.jsonl}). */
    public static Path defaultTrainFile(String name, Path dataDir) {
        PromptInfo info = info(name);
        return info.needsTrainingSplit() ? dataDir.resolve(info.trainingSplit()) : null;
    }

    /** One line per prompt: name, default shots, stop strings and description, for {@code --list-prompts}. */
    public static String describe() {
        StringBuilder out = new StringBuilder();
        for (PromptInfo p : PROMPTS) {
            out.append(String.format("%-20s shots=%s stop=%s  %s%n", p.name(),
                    p.defaultShots() < 0 ? "by-dataset" : String.valueOf(p.defaultShots()),
                    p.stop().stream().map(s -> "\"" + s.replace("\n", "\\n") + "\"").toList(), p.description()));
        }
        return out.toString();
    }

    /** Builds the prompt {@code name}; k-shot prompts read {@code options.trainFile()}. */
    public static PromptTemplate create(String name, PromptOptions options) {
        PromptInfo info = info(name);
        int shots = options.shots() < 0 ? info.defaultShots() : options.shots();
        return switch (name) {
            case QWEN25_MATH_COT -> PublishedProtocols.qwen25MathCot(name, options.kind(), shots);
            case QWEN_COT -> PublishedProtocols.qwenCot(name, options.kind(), shots);
            case LM_EVAL_GSM8K -> PublishedProtocols.lmEvalGsm8k(name, options.kind(), shots,
                    shots == 0 ? null : trainFile(info, options, shots));
            case LM_EVAL_GSM8K_COT -> PublishedProtocols.lmEvalGsm8kCot(name, options.kind(), shots);
            case LM_EVAL_MINERVA_MATH -> PublishedProtocols.lmEvalMinervaMath(name, options.kind(), shots);
            case QWEN_MATH_COT -> new PromptTemplate(name, QWEN_SYSTEM, "", PromptTemplate.QUESTION, info.stop());
            case ZERO_SHOT_COT -> new PromptTemplate(name, null, "",
                    "Question: " + PromptTemplate.QUESTION + "\nAnswer: Let's think step by step.", info.stop());
            case GSM8K_KSHOT -> new PromptTemplate(name, null,
                    FewShotExamples.gsm8k(trainFile(info, options, shots), shots, options.seed(), options.excludeQuestions()),
                    "Question: " + PromptTemplate.QUESTION + "\nAnswer:", info.stop());
            case SFT -> new PromptTemplate(name, null, "", PromptTemplate.QUESTION + "\n", info.stop());
            case MATH_KSHOT -> new PromptTemplate(name, null,
                    FewShotExamples.math(trainFile(info, options, shots), shots, options.seed(), options.excludeQuestions()),
                    "Problem:\n" + PromptTemplate.QUESTION + "\n\nSolution:", info.stop());
            default -> throw new IllegalStateException("prompt " + name + " is listed but not built");
        };
    }

    private static Path trainFile(PromptInfo info, PromptOptions options, int shots) {
        if (shots > 0 && options.trainFile() == null) {
            throw new UserError("prompt '" + info.name() + "' draws its examples from " + info.trainingSplit()
                    + "; pass the training split (--train-file)");
        }
        return options.trainFile();
    }
}
