package dev.mathtune.eval;

import dev.mathtune.generate.SamplingParams;

import java.nio.file.Path;

/**
 * One evaluation run: the dataset; the prompt by registry name with its shot count ({@code -1} = the prompt's
 * default), the seed that picks the shots and the training split they come from; {@code samples} completions per
 * item (n, for maj@n and pass@k); sampling parameters ({@code null} = greedy; {@code maxNewTokens == 0} = the
 * dataset's default, 512 for GSM8K and 1024 for MATH; with n &gt; 1 each (item, sample) gets a seed derived from
 * {@code sampling.seed()}, see {@link SampleSeed}); the output folder; and {@code chunkSize}, the number of
 * requests handed to the generator per call; {@code calculator}: decode with the calculator (GSM8K annotations, see
 * {@link dev.mathtune.generate.calc.CalculatorDecoding}; the embedded engine only).
 */
public record EvalSpec(DatasetSpec dataset, String prompt, int shots, long shotSeed, Path trainFile, int samples,
                       SamplingParams sampling, Path outDir, int chunkSize, boolean calculator) {
    public static final int DEFAULT_CHUNK = 64;
    public static final long DEFAULT_SHOT_SEED = 1234L;

    public EvalSpec(DatasetSpec dataset, String prompt, int shots, long shotSeed, Path trainFile, int samples,
                    SamplingParams sampling, Path outDir, int chunkSize) {
        this(dataset, prompt, shots, shotSeed, trainFile, samples, sampling, outDir, chunkSize, false);
    }

    public EvalSpec {
        if (dataset == null) throw new IllegalArgumentException("dataset is required");
        if (outDir == null) throw new IllegalArgumentException("outDir is required");
        prompt = prompt == null ? PromptRegistry.QWEN_MATH_COT : prompt;
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        if (chunkSize < 1) throw new IllegalArgumentException("chunkSize must be >= 1, got " + chunkSize);
    }

    /** Greedy, one sample, the default prompt, default chunk size. */
    public static EvalSpec of(DatasetSpec dataset, Path outDir) {
        return new EvalSpec(dataset, null, -1, DEFAULT_SHOT_SEED, null, 1, null, outDir, DEFAULT_CHUNK);
    }

    public EvalSpec withPrompt(String name, int newShots, Path newTrainFile) {
        return new EvalSpec(dataset, name, newShots, shotSeed, newTrainFile, samples, sampling, outDir, chunkSize,
                calculator);
    }

    public EvalSpec withSampling(int newSamples, SamplingParams newSampling) {
        return new EvalSpec(dataset, prompt, shots, shotSeed, trainFile, newSamples, newSampling, outDir, chunkSize,
                calculator);
    }

    public EvalSpec withChunkSize(int newChunkSize) {
        return new EvalSpec(dataset, prompt, shots, shotSeed, trainFile, samples, sampling, outDir, newChunkSize,
                calculator);
    }

    public EvalSpec withCalculator(boolean on) {
        return new EvalSpec(dataset, prompt, shots, shotSeed, trainFile, samples, sampling, outDir, chunkSize, on);
    }

    /** The sampling parameters to use for a dataset of {@code kind}, defaults filled in. */
    public SamplingParams resolvedSampling(DatasetKind kind) {
        return resolvedSampling(kind, 0);
    }

    /**
     * The sampling parameters, defaults filled in: an unset budget becomes {@code promptBudget} (the published
     * protocol's, e.g. 2048 for Qwen's evaluation) or, when that is 0, the dataset's default.
     */
    public SamplingParams resolvedSampling(DatasetKind kind, int promptBudget) {
        int budget = promptBudget > 0 ? promptBudget : kind.defaultMaxNewTokens();
        if (sampling == null) {
            return SamplingParams.greedy(budget);
        }
        return sampling.maxNewTokens() > 0 ? sampling : new SamplingParams(budget,
                sampling.temperature(), sampling.topP(), sampling.topK(), sampling.seed(), sampling.stop());
    }
}
