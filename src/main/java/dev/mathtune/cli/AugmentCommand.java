package dev.mathtune.cli;

import dev.mathtune.experiment.HubDatasetPath;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import dev.mathtune.augment.AugmentRunner;
import dev.mathtune.augment.AugmentSpec;
import dev.mathtune.augment.AugmentSummary;
import dev.mathtune.augment.DatasetKind;
import dev.mathtune.augment.EvolutionOp;
import dev.mathtune.eval.grade.MathAnswerGrader;
import dev.mathtune.generate.TextGenerator;

/** {@code mathtune augment}: AugGSM8K / AugMATH — evolve questions with a teacher, sample and filter reasoning paths. */
@Command(name = "augment", description = "Augment GSM8K / MATH training data with a teacher model (resumable).")
public final class AugmentCommand implements Callable<Integer> {
    @Mixin
    EngineOptions engine;
    @Mixin
    BackendOptions teacher;
    @Option(names = "--input", required = true, description = "Training data (GSM8K question/answer or MATH problem/solution): JSONL, JSON or Parquet, a file, a glob or hf://datasets/OWNER/NAME/PATH.")
    Path input;
    @Option(names = "--dataset", required = true, description = "gsm8k or math.")
    String dataset;
    @Option(names = "--out", required = true, description = "Output JSONL (training rows); journal and summary go beside it.")
    Path out;
    @Option(names = "--ops", defaultValue = "all", description = "change-numbers,fractions-percentages,combine-concepts,add-condition,increase-complexity or all.")
    String ops;
    @Option(names = "--rounds", defaultValue = "1")
    int rounds;
    @Option(names = "--originals", description = "Also sample paths for the original questions (kept when they match the gold answer).")
    boolean originals;
    @Option(names = "--paths", defaultValue = "4", description = "Reasoning paths sampled per question (K).")
    int paths;
    @Option(names = "--temperature", defaultValue = "0.7")
    double temperature;
    @Option(names = "--evolve-temperature", defaultValue = "0.7")
    double evolveTemperature;
    @Option(names = "--max-tokens", defaultValue = "512")
    int maxTokens;
    @Option(names = "--max-evolve-tokens", defaultValue = "1024")
    int maxEvolveTokens;
    @Option(names = "--min-agreement", defaultValue = "1", description = "Paths of an evolved question must agree with at least this many votes.")
    int minAgreement;
    @Option(names = "--seed", defaultValue = "1234")
    long seed;
    @Option(names = "--limit", defaultValue = "0")
    int limit;
    @Option(names = "--decontaminate", description = "Test sets to remove overlaps with (13-grams), as --input takes them; repeatable.")
    List<Path> decontaminate = new ArrayList<>();
    @Option(names = "--ngram", defaultValue = "13")
    int ngram;
    @Option(names = "--no-chat", description = "Send plain text prompts instead of chat messages.")
    boolean noChat;
    @Option(names = "--request-batch", defaultValue = "16", description = "Requests per generate call.")
    int requestBatch;

    @Override
    public Integer call() throws Exception {
        engine.apply();
        DatasetKind kind = DatasetKind.parse(dataset);
        AugmentSpec spec = AugmentSpec.builder(HubDatasetPath.resolve(input), kind, out).ops(EvolutionOp.parseList(ops)).rounds(rounds)
                .originals(originals).paths(paths).temperature(temperature).evolveTemperature(evolveTemperature)
                .maxTokens(maxTokens).maxEvolveTokens(maxEvolveTokens).minAgreement(minAgreement).seed(seed)
                .limit(limit).decontaminate(decontaminate.stream().map(HubDatasetPath::resolve).toList()).ngram(ngram).chat(!noChat).batchSize(requestBatch).build();
        MathAnswerGrader grader = kind == DatasetKind.GSM8K ? MathAnswerGrader.gsm8k() : MathAnswerGrader.math();
        AugmentSummary summary;
        try (TextGenerator gen = teacher.open(engine, false)) {
            summary = new AugmentRunner(spec, gen, grader, System.err).run();
        }
        System.err.println("summary: " + spec.summaryPath());
        System.out.println(out);
        return summary == null ? ExitCode.FAILED : ExitCode.OK;
    }
}
