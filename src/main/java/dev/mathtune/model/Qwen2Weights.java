package dev.mathtune.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

import org.bytedeco.pytorch.Tensor;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;

/**
 * All tensors of a Qwen2 checkpoint in HF naming. {@code lmHead} is the same tensor as {@code embed} when the
 * embeddings are tied (and is then omitted when saving, as HF does). Weights never change after loading,
 * except through an optimizer in full fine-tuning.
 */
public record Qwen2Weights(Qwen2Config config, Tensor embed, List<LayerWeights> layers, Tensor norm, Tensor lmHead) {

    public static final String EMBED = "model.embed_tokens.weight";
    public static final String NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    /** Loads {@code dir}'s safetensors (single or sharded), checking every name and shape, cast to {@code dtype}. */
    public static Qwen2Weights load(Path dir, Qwen2Config config, DType dtype) {
        Map<String, SafetensorsEntry> st = Safetensors.readCheckpoint(dir, "model");
        Path where = Files.isRegularFile(dir.resolve("model.safetensors")) ? dir.resolve("model.safetensors")
                : dir.resolve("model.safetensors.index.json");
        long h = config.hiddenSize();
        Tensor embed = tensor(st, where, EMBED, new long[]{config.vocabSize(), h}, dtype);
        List<LayerWeights> layers = new ArrayList<>();
        long[][] shapes = LayerWeights.shapes(config);
        for (int i = 0; i < config.numLayers(); i++) {
            int layer = i;
            layers.add(layer(shapes, dtype, j -> tensor(st, where, layerName(layer, j), shapes[j], dtype)));
        }
        Tensor norm = tensor(st, where, NORM, new long[]{h}, dtype);
        Tensor head = config.tieWordEmbeddings() ? embed
                : tensor(st, where, LM_HEAD, new long[]{config.vocabSize(), h}, dtype);
        return new Qwen2Weights(config, embed, List.copyOf(layers), norm, head);
    }

    /** Indexes into {@link LayerWeights#NAMES} stored as adjacent rows of one buffer: q/k/v, their biases, gate/up. */
    private static final int[][] ADJACENT = {{0, 2, 4}, {1, 3, 5}, {7, 8}};

    /**
     * One layer's tensors, {@code make(j)} giving tensor j of {@link LayerWeights#NAMES} (called in that order). The
     * members of each {@link #ADJACENT} group are copied into one buffer, back to back, so that a batch-1 decoding
     * step reads q/k/v, and gate/up, with one matrix-vector product each ({@link LayerProjections}); each stays a
     * tensor of its own shape to everything else.
     */
    private static LayerWeights layer(long[][] shapes, DType dtype, IntFunction<Tensor> make) {
        Tensor[] t = new Tensor[shapes.length];
        for (int j = 0; j < t.length; j++) {
            int[] group = groupOf(j);
            if (group == null) {
                t[j] = make.apply(j);
                continue;
            }
            if (j == group[0]) {
                long rows = 0;
                for (int m : group) rows += shapes[m][0];
                long[] shape = shapes[j].clone();
                shape[0] = rows;
                Tensor buffer = Tensors.empty(dtype, shape);
                long offset = 0;
                for (int m : group) {
                    t[m] = buffer.narrow(0, offset, shapes[m][0]);
                    offset += shapes[m][0];
                }
            }
            try (Scope s = Scope.open()) {
                t[j].copy_(make.apply(j));
            }
        }
        return LayerWeights.of(t);
    }

    private static int[] groupOf(int index) {
        for (int[] g : ADJACENT) for (int m : g) if (m == index) return g;
        return null;
    }

    public static String layerName(int layer, int index) {
        return "model.layers." + layer + "." + LayerWeights.NAMES[index];
    }

    private static Tensor tensor(Map<String, SafetensorsEntry> st, Path file, String name, long[] shape, DType dtype) {
        SafetensorsEntry e = st.get(name);
        if (e == null) throw UserError.inFile(file, "tensor '" + name + "' is missing");
        if (!Arrays.equals(e.shape(), shape)) {
            throw UserError.inFile(file, "tensor '" + name + "' has shape " + Arrays.toString(e.shape())
                    + " but config.json implies " + Arrays.toString(shape));
        }
        DType stored = DType.ofSafetensorsTag(e.dtype());
        if (stored == null) throw UserError.inFile(file, "tensor '" + name + "': dtype " + e.dtype() + " is not a float type");
        return Tensors.fromBytes(e.data(), stored, shape, dtype);
    }

    /** Every tensor by HF name ({@code lm_head.weight} left out when tied). */
    public Map<String, Tensor> named() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(EMBED, embed);
        for (int i = 0; i < layers.size(); i++) {
            Tensor[] t = layers.get(i).all();
            for (int j = 0; j < t.length; j++) m.put(layerName(i, j), t[j]);
        }
        m.put(NORM, norm);
        if (!config.tieWordEmbeddings()) m.put(LM_HEAD, lmHead);
        return m;
    }

    /** Writes {@code model.safetensors} (in {@code dtype}) and {@code config.json} into {@code dir}. */
    public void save(Path dir, DType dtype) throws IOException {
        Files.createDirectories(dir);
        Map<String, SafetensorsEntry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : named().entrySet()) {
            Tensor t = e.getValue().detach().to(dtype.scalarType());
            out.put(e.getKey(), new SafetensorsEntry(e.getKey(), dtype.safetensorsTag(), Tensors.shape(t), Tensors.toBytes(t)));
        }
        Safetensors.write(dir.resolve("model.safetensors"), out, Map.of("format", "pt"));
        config.withTorchDtype(torchDtypeName(dtype)).save(dir);
    }

    public static String torchDtypeName(DType d) {
        return switch (d) {
            case FP32 -> "float32";
            case BF16 -> "bfloat16";
            case FP16 -> "float16";
            case FP64 -> "float64";
        };
    }

    /**
     * Random weights for benchmarks and tests: matrices ~ N(0, std), biases 0, norm weights 1
     * (HF's {@code _init_weights} with {@code initializer_range = std}); torch's generator is seeded per tensor
     * from a stream seeded with {@code seed}, so the same arguments give the same weights.
     */
    public static Qwen2Weights random(Qwen2Config config, DType dtype, double std, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long h = config.hiddenSize();
        Tensor embed = normal(rng, std, dtype, config.vocabSize(), h);
        List<LayerWeights> layers = new ArrayList<>();
        long[][] shapes = LayerWeights.shapes(config);
        for (int i = 0; i < config.numLayers(); i++) {
            layers.add(layer(shapes, dtype, j -> {
                String n = LayerWeights.NAMES[j];
                return n.endsWith("layernorm.weight") ? constant(1f, dtype, shapes[j])
                        : n.endsWith(".bias") ? constant(0f, dtype, shapes[j]) : normal(rng, std, dtype, shapes[j]);
            }));
        }
        Tensor norm = constant(1f, dtype, h);
        Tensor head = config.tieWordEmbeddings() ? embed : normal(rng, std, dtype, config.vocabSize(), h);
        return new Qwen2Weights(config, embed, List.copyOf(layers), norm, head);
    }

    private static Tensor normal(SplittableRandom rng, double std, DType dtype, long... shape) {
        // torch's own CPU generator, seeded per tensor from our stream: no Java-heap copy of the weights, and the
        // same values on every device
        org.bytedeco.pytorch.global.torch.manual_seed(rng.nextLong());
        Tensor t = Tensors.randn(shape).mul_(new org.bytedeco.pytorch.Scalar(std));
        return dtype == DType.FP32 ? t : t.to(dtype.scalarType());
    }

    private static Tensor constant(float value, DType dtype, long... shape) {
        return Tensors.full(value, dtype, shape);
    }
}
