package dev.mathtune.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small recipes on the tiny preset and synthetic problems, for end-to-end tests. */
final class TinyRecipes {
    private TinyRecipes() {
    }

    /** Two runs: full fine-tuning for {@code steps} steps on 16 synthetic problems, and the base model as is. */
    static Path twoRuns(Path dir, int steps) throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, """
                # mathtune run tiny.yaml
                name: tiny-e2e
                title: Tiny end to end
                models:
                  tiny: {preset: tiny, seed: 3}
                datasets:
                  train: {synthetic: {count: 16, level: 1, seed: 1}, label: synthetic train}
                  test: {synthetic: {count: 8, level: 1, seed: 2, held-out-from: train}}
                train:
                  max-steps: %d
                  batch-size: 4
                  max-length: 128
                  checkpoint-every: 2
                  log-every: 100
                  lr: 1e-3
                eval:
                  batch-size: 8
                  sets:
                    synth: {dataset: test, label: GSM8K, max-new-tokens: 24}
                runs:
                  - {name: sft, model: tiny, method: full, data: train}
                  - {name: base, model: tiny, method: none}
                study: paper
                """.formatted(steps));
        return file;
    }
}
