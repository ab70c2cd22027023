package dev.mathtune.peft;

import dev.mathtune.generate.PrefixKv;
import dev.mathtune.model.KvSource;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.train.Trainable;

/**
 * A base model with an adapter applied, ready for scoring and generation: for LoRA {@code model} has the wrapped
 * projections and {@code prefix} is null; for prefix-tuning {@code model} is the base and {@code prefix} holds the
 * key/values to place before every sequence. {@code adapter} is the loaded {@link LoraAdapter} or
 * {@link PrefixTuning} itself.
 */
public record LoadedAdapter(Qwen2Model model, PrefixKv prefix, Trainable adapter) {

    /** Number of prefix positions (0 for LoRA): pass as {@code pastLength} to {@code TokenScorer.score}. */
    public long prefixLength() {
        return prefix == null ? 0 : prefix.length();
    }

    /** The key/values to score {@code rows} sequences with (null for LoRA), for {@code TokenScorer.score}. */
    public KvSource scoringPrefix(int rows) {
        return prefix == null ? null : adapter.trainingPrefix(rows);
    }
}
