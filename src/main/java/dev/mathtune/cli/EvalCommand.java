package dev.mathtune.cli;

import dev.mathtune.experiment.HubDatasetPath;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.UserError;
import dev.mathtune.eval.DatasetKind;
import dev.mathtune.eval.DatasetLoader;
import dev.mathtune.eval.DatasetSpec;
import dev.mathtune.eval.EvalMetrics;
import dev.mathtune.eval.EvalRunner;
import dev.mathtune.eval.EvalSpec;
import dev.mathtune.eval.PromptPreview;
import dev.mathtune.eval.PromptRegistry;
import dev.mathtune.eval.grade.GraderName;
import dev.mathtune.eval.grade.MathAnswerGrader;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TextGenerator;
import dev.mathtune.tokenizer.ChatTemplate;
import dev.mathtune.tokenizer.Tokenizer;

/** {@code mathtune eval}: score a model on GSM8K / MATH-style data; resumable, with an audit trail per item. */
@Command(name = "eval", description = "Evaluate on GSM8K / MATH500 (or any JSONL/Parquet) with the math grader.")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Mixin
    BackendOptions backend;
    @Option(names = "--list-prompts", description = "List the named prompts and exit.")
    boolean listPrompts;
    @Option(names = "--data", description = "Dataset: JSONL, JSON or Parquet; a file, a glob or hf://datasets/OWNER/NAME/PATH.")
    Path data;
    @Option(names = "--kind", defaultValue = "auto", description = "auto, gsm8k, math or fields.")
    String kind;
    @Option(names = "--question-field")
    String questionField;
    @Option(names = "--answer-field")
    String answerField;
    @Option(names = "--limit", defaultValue = "0")
    int limit;
    @Option(names = "--prompt", description = "Prompt name (see --list-prompts): e.g. qwen25-math-cot, qwen-cot, lm-eval-gsm8k, lm-eval-gsm8k-cot, lm-eval-minerva-math, sft; default qwen-math-cot.")
    String prompt;
    @Option(names = "--shots", defaultValue = "-1", description = "k for k-shot prompts (-1: the prompt's default).")
    int shots;
    @Option(names = "--shot-seed", defaultValue = "1234")
    long shotSeed;
    @Option(names = "--train-file", description = "Training split the k-shot examples come from.")
    Path trainFile;
    @Option(names = "--samples", defaultValue = "1", description = "Completions per item (maj@n, pass@k).")
    int samples;
    @Option(names = "--temperature", defaultValue = "0")
    double temperature;
    @Option(names = "--top-p", defaultValue = "1.0")
    double topP;
    @Option(names = "--top-k", defaultValue = "0")
    int topK;
    @Option(names = "--seed", defaultValue = "0")
    long seed;
    @Option(names = "--max-new-tokens", defaultValue = "0", description = "0: the prompt's published budget (2048 Qwen, 256 lm-eval), else 512 for GSM8K, 1024 for MATH.")
    int maxNewTokens;
    @Option(names = "--stop", description = "Extra stop string (repeatable).")
    List<String> stop = new ArrayList<>();
    @Option(names = "--chunk-size", defaultValue = "64", description = "Requests per generate call.")
    int chunkSize;
    @Option(names = "--out", description = "Output folder (re-running resumes).")
    Path out;
    @Option(names = "--grader", defaultValue = "mathtune", description = "Primary grader: mathtune, qwen or lm-eval "
            + "(all three grade every item; metrics.json holds each accuracy). Default: ${DEFAULT-VALUE}.")
    String grader;
    @Option(names = "--print-prompts", defaultValue = "0", paramLabel = "N",
            description = "Print the exact prompts of the first N items and exit; loads no weights (a chat prompt "
                    + "reads the chat template of --model DIR).")
    int printPrompts;
    @Option(names = "--json", description = "With --print-prompts: one JSON line {\"index\", \"prompt\"} per item.")
    boolean json;
    @Option(names = "--calculator", description = "Calculator-assisted decoding (embedded engine only): an open GSM8K "
            + "annotation <<EXPR= gets EXPR's exact value and >>; each row records its calculator_calls.")
    boolean calculator;

    private EvalSpec spec(Path outDir) {
        DatasetSpec ds = new DatasetSpec(HubDatasetPath.resolve(data), DatasetKind.parse(kind), questionField, answerField, limit);
        DatasetKind resolved = DatasetLoader.load(ds).kind();
        String promptName = prompt != null ? prompt : PromptRegistry.defaultFor(resolved);
        Path train = trainFile != null ? trainFile : PromptRegistry.defaultTrainFile(promptName, data.toAbsolutePath().getParent().getParent());
        SamplingParams sampling = new SamplingParams(maxNewTokens, temperature, topP, topK, seed, stop);
        return new EvalSpec(ds, promptName, shots, shotSeed, train, samples, sampling, outDir, chunkSize, calculator);
    }

    /** {@code --print-prompts N}: the prompts of the first N items, as the model would receive them. */
    private int printPrompts() throws Exception {
        if (data == null) throw new UserError("--print-prompts needs --data FILE");
        Path modelDir = backend.modelDir();
        ChatTemplate template = modelDir == null ? null : Tokenizer.chatTemplate(modelDir);
        List<PromptPreview.Item> items = PromptPreview.first(spec(Path.of(".")), printPrompts,
                template == null ? null : messages -> template.render(messages, true));
        for (PromptPreview.Item item : items) {
            if (json) {
                JsonOut.line(item);
            } else {
                System.out.printf("--- item %d%n%s%n", item.index(), item.prompt());
            }
        }
        return ExitCode.OK;
    }

    @Override
    public Integer call() throws Exception {
        if (listPrompts) {
            System.out.print(PromptRegistry.describe());
            return ExitCode.OK;
        }
        if (printPrompts > 0) {
            return printPrompts();
        }
        if (data == null || out == null) throw new UserError("eval needs --data FILE and --out DIR");
        GraderName primary = GradeCommand.parseGrader(grader);
        backend.checkCalculator(calculator);
        engine.apply();
        EvalSpec spec = spec(out);
        DatasetKind resolved = DatasetLoader.load(spec.dataset()).kind();
        MathAnswerGrader mathtune = resolved == DatasetKind.GSM8K ? MathAnswerGrader.gsm8k() : MathAnswerGrader.math();
        EvalMetrics m;
        try (TextGenerator gen = backend.open(engine, true)) {
            m = new EvalRunner(gen, mathtune, primary, System.err, 10.0).run(spec);
        }
        System.out.printf(Locale.ROOT, "%s: accuracy %.2f%% [%.2f, %.2f] (n=%d), strict %.2f%%%s -> %s%n", m.dataset(),
                100 * m.accuracy().accuracy(), 100 * m.accuracy().ci95Low(), 100 * m.accuracy().ci95High(), m.items(),
                100 * m.strict().accuracy(), m.majAtN() == null ? "" : String.format(Locale.ROOT, ", maj@%d %.2f%%", samples, 100 * m.majAtN().accuracy()),
                out.resolve(EvalRunner.METRICS));
        if (m.graders() != null) {
            System.out.println(GradeCommand.graderLine(m.graders(), m.gradersDisagree()));
        }
        return ExitCode.OK;
    }
}
