package dev.mathtune.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.bytedeco.pytorch.Tensor;

import dev.mathtune.model.KvSource;
import dev.mathtune.model.Qwen2Model;

/**
 * What a fine-tuning method trains: full fine-tuning (every weight), LoRA (adapters around frozen projections) or
 * prefix-tuning (per-layer key/value prefixes before a frozen model). The trainer only sees this interface.
 */
public interface Trainable {

    /** The model to run forward with (for LoRA: the base with adapter-wrapped projections). */
    Qwen2Model model();

    /**
     * Key/values every row attends to before its tokens, for a batch of {@code rows} (prefix-tuning); null for
     * methods without a prefix (the default). Built inside the training step's scope, so it may create tensors.
     */
    default KvSource trainingPrefix(long rows) {
        return null;
    }

    /** Number of prefix positions P (real tokens take positions P..P+T−1); 0 without a prefix (the default). */
    default long prefixLength() {
        return 0;
    }

    /** Trainable tensors by stable name (requires_grad set), for the optimizer and checkpoints. */
    Map<String, Tensor> parameters();

    /** Names in {@link #parameters()} that take no weight decay (biases, norm weights). */
    Set<String> noDecay();

    /** Switches dropout on (training) or off (evaluation, saving). */
    default void train(boolean on) {
    }

    /** Writes the result in its interchange format: an HF checkpoint directory or a PEFT adapter directory. */
    void save(Path dir) throws IOException;

    /** Trainable parameter count. */
    default long parameterCount() {
        long n = 0;
        for (Tensor t : parameters().values()) n += t.numel();
        return n;
    }
}
