package dev.mathtune.cli;

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
import dev.mathtune.eval.PromptRegistry;
import dev.mathtune.eval.grade.GraderName;
import dev.mathtune.eval.grade.MathAnswerGrader;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TextGenerator;

/** {@code mathtune eval}: score a model on GSM8K / MATH-style data; resumable, with an audit trail per item. */
@Command(name = "eval", description = "Evaluate on GSM8K / MATH500 (or any JSONL/Parquet) with the math grader.")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Mixin
    BackendOptions backend;
    @Option(names = "--list-prompts", description = "List the named prompts and exit.")
    boolean listPrompts;
    @Option(names = "--data", description = "Dataset file (.jsonl or .parquet).")
    Path data;
    @Option(names = "--kind", defaultValue = "auto", description = "auto, gsm8k, math or fields.")
    String kind;
    @Option(names = "--question-field")
    String questionField;
    @Option(names = "--answer-field")
    String answerField;
    @Option(names = "--limit", defaultValue = "0")
    int limit;
    @Option(names = "--prompt", description = "Prompt name (see --list-prompts); default qwen-math-cot.")
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
    @Option(names = "--max-new-tokens", defaultValue = "0", description = "0: 512 for GSM8K, 1024 for MATH.")
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

    @Override
    public Integer call() throws Exception {
        if (listPrompts) {
            System.out.print(PromptRegistry.describe());
            return ExitCode.OK;
        }
        if (data == null || out == null) throw new UserError("eval needs --data FILE and --out DIR");
        GraderName primary = GradeCommand.parseGrader(grader);
        engine.apply();
        DatasetSpec ds = new DatasetSpec(data, DatasetKind.parse(kind), questionField, answerField, limit);
        DatasetKind resolved = DatasetLoader.load(ds).kind();
        String promptName = prompt != null ? prompt : PromptRegistry.defaultFor(resolved);
        Path train = trainFile != null ? trainFile : PromptRegistry.defaultTrainFile(promptName, data.toAbsolutePath().getParent().getParent());
        SamplingParams sampling = new SamplingParams(maxNewTokens, temperature, topP, topK, seed, stop);
        EvalSpec spec = new EvalSpec(ds, promptName, shots, shotSeed, train, samples, sampling, out, chunkSize);
        MathAnswerGrader mathtune = resolved == DatasetKind.GSM8K ? MathAnswerGrader.gsm8k() : MathAnswerGrader.math();
        EvalMetrics m;
        try (TextGenerator gen = backend.open(engine.dtype())) {
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
