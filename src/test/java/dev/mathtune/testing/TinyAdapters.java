package dev.mathtune.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.NoGradGuard;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.peft.LoraAdapter;
import dev.mathtune.peft.LoraConfig;
import dev.mathtune.peft.LoraLinear;
import dev.mathtune.peft.PrefixConfig;
import dev.mathtune.peft.PrefixTuning;

/**
 * PEFT adapter directories for a checkpoint whose outputs differ from the base's: a LoRA adapter with non-zero
 * {@code B} (a fresh one has {@code B = 0} and changes nothing) and a prefix with large key/values.
 */
public final class TinyAdapters {
    private TinyAdapters() {
    }

    /**
     * A rank-{@code r} LoRA adapter on all seven projections of {@code model} (alpha 2r), {@code A} by PEFT's init
     * from {@code seed} and every {@code B} entry uniform in ±{@code bBound} from the same seed, saved to {@code out}.
     */
    public static Path lora(Path model, Path out, int r, long seed, double bBound) {
        Qwen2Model base = ModelLoader.load(model, DType.FP32);
        LoraAdapter lora = LoraAdapter.create(base, new LoraConfig(r, 2.0 * r, 0.0, LoraConfig.ALL_TARGETS, false, seed));
        SplittableRandom rng = new SplittableRandom(seed);
        try (NoGradGuard ng = new NoGradGuard(); Scope s = Scope.open()) {
            for (LoraLinear l : lora.layers()) {
                long[] shape = Tensors.shape(l.b());
                float[] v = new float[(int) (shape[0] * shape[1])];
                for (int i = 0; i < v.length; i++) v[i] = (float) ((2 * rng.nextDouble() - 1) * bBound);
                l.b().copy_(Tensors.floats(v, shape));
            }
        }
        return save(lora::save, out);
    }

    /** A prefix of {@code tokens} virtual tokens on {@code model}, drawn from N(0, std²) with {@code seed}. */
    public static Path prefix(Path model, Path out, int tokens, long seed, double std) {
        Qwen2Model base = ModelLoader.load(model, DType.FP32);
        PrefixTuning prefix = PrefixTuning.create(base, new PrefixConfig(tokens, false, 0, seed, std));
        return save(prefix::save, out);
    }

    private interface Saver {
        void save(Path dir) throws IOException;
    }

    private static Path save(Saver saver, Path out) {
        try {
            saver.save(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
