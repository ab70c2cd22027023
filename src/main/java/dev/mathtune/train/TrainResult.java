package dev.mathtune.train;

import java.nio.file.Path;

/** What a finished training run produced and what it cost, and the dtype it computed in. */
public record TrainResult(Path artifact, String method, int steps, long trainableParameters, double seconds,
                          long peakRssBytes, double tokensPerSecond, double finalLoss, int truncatedExamples,
                          String dtype) {
}
