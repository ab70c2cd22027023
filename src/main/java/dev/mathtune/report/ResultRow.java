package dev.mathtune.report;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the results table: a method trained on some data from a base model, what it cost, and its scores.
 *
 * @param method              the method, for example {@code "LoRA"}
 * @param baseModel           the base model, for example {@code "Qwen2.5-0.5B"}
 * @param trainingData        the training data, for example {@code "GSM8K train"}; empty for none
 * @param trainableParameters parameters updated by training (0 for an untrained model)
 * @param trainingSeconds     wall-clock training time (0 for none)
 * @param peakMemoryBytes     peak accelerator (or process) memory during training, 0 when unknown
 * @param scores              one score per evaluation set
 * @param dtypes              the compute dtypes, for example {@code "training bf16, evaluation fp32"}; empty when unknown
 */
public record ResultRow(String method, String baseModel, String trainingData, long trainableParameters,
                        double trainingSeconds, long peakMemoryBytes, List<EvalScore> scores, String dtypes) {
    public ResultRow {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(baseModel, "baseModel");
        trainingData = trainingData == null ? "" : trainingData;
        scores = List.copyOf(scores);
        dtypes = dtypes == null ? "" : dtypes;
    }

    /** A row whose dtypes are not recorded. */
    public ResultRow(String method, String baseModel, String trainingData, long trainableParameters,
                     double trainingSeconds, long peakMemoryBytes, List<EvalScore> scores) {
        this(method, baseModel, trainingData, trainableParameters, trainingSeconds, peakMemoryBytes, scores, "");
    }

    /** The score on {@code evalSet} (compared ignoring case), if evaluated. */
    public Optional<EvalScore> score(String evalSet) {
        return scores.stream().filter(s -> s.evalSet().equalsIgnoreCase(evalSet)).findFirst();
    }

    /** This row with the study's numbers from {@code study} filled in where it has them. */
    public ResultRow withStudyNumbers(StudyNumbers study) {
        List<EvalScore> filled = scores.stream()
                .map(s -> s.withStudy(study.accuracy(method, s.evalSet()).orElse(s.studyAccuracy())))
                .toList();
        return new ResultRow(method, baseModel, trainingData, trainableParameters, trainingSeconds, peakMemoryBytes, filled,
                dtypes);
    }
}
