package dev.mathtune.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mathtune.engine.DType;
import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;
import dev.mathtune.model.CheckpointInit;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.tokenizer.Tokenizer;

/**
 * A checkpoint with Qwen's real tokenizer whose greedy decoding follows a fixed chain of tokens, its weights set by
 * hand (not trained): the one block's output projections are zero, so the residual stream is the current token's
 * embedding; the k-th chain token's embedding is the unit vector k (every other token's is unit vector 0), and the
 * lm_head maps unit vector k to the chain token's successor (0 to {@code otherwise}). So the token after t is
 * {@code next.get(t)}, whatever came before, and after any other token it is {@code otherwise}.
 */
public final class ChainCheckpoint {
    public static final int HIDDEN = 32;
    static final int ENDOFTEXT = 151643;

    private ChainCheckpoint() {
    }

    /** Writes the checkpoint into {@code dir}; {@code next} maps token strings (vocabulary entries) to their successor. */
    public static Path write(Path dir, Map<String, String> next, String otherwise) {
        if (next.size() >= HIDDEN) throw new IllegalArgumentException("at most " + (HIDDEN - 1) + " chain tokens");
        try {
            Qwen2Config shape = new Qwen2Config(151936, HIDDEN, 64, 1, 2, 1, 16, 1e-6, 10000.0, false, 4096,
                    ENDOFTEXT, List.of(ENDOFTEXT), "float32");
            CheckpointInit.write(shape, dir, DType.FP32, 7, false);
            Path qwen = Golden.shared().resolve("tokenizers/qwen");
            Files.copy(qwen.resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
            Files.copy(qwen.resolve("tokenizer_config.json"), dir.resolve("tokenizer_config.json"));
            List<Integer> from = new ArrayList<>();
            List<Integer> to = new ArrayList<>();
            int fallback;
            try (Tokenizer tok = Tokenizer.load(dir)) {
                for (Map.Entry<String, String> e : new LinkedHashMap<>(next).entrySet()) {
                    from.add(id(tok, e.getKey()));
                    to.add(id(tok, e.getValue()));
                }
                fallback = id(tok, otherwise);
            }
            force(dir.resolve("model.safetensors"), shape.vocabSize(), from, to, fallback);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int id(Tokenizer tok, String token) {
        return tok.tokenId(token).orElseThrow(() -> new IllegalArgumentException("not a Qwen token: " + token));
    }

    private static void force(Path file, int vocab, List<Integer> from, List<Integer> to, int otherwise)
            throws IOException {
        Map<String, SafetensorsEntry> tensors = new HashMap<>(Safetensors.read(file));
        float[] embed = new float[vocab * HIDDEN];
        for (int t = 0; t < vocab; t++) {
            int k = from.indexOf(t);
            embed[t * HIDDEN + k + 1] = 1f; // k = -1: dimension 0
        }
        float[] head = new float[vocab * HIDDEN];
        head[otherwise * HIDDEN] = 10f;
        for (int k = 0; k < from.size(); k++) head[to.get(k) * HIDDEN + k + 1] = 10f;
        put(tensors, "model.embed_tokens.weight", embed);
        put(tensors, "lm_head.weight", head);
        for (String name : List.of("model.layers.0.self_attn.o_proj.weight", "model.layers.0.mlp.down_proj.weight")) {
            put(tensors, name, new float[(int) tensors.get(name).numel()]);
        }
        Path tmp = file.resolveSibling("forced.safetensors");
        Safetensors.write(tmp, tensors, Map.of("format", "pt"));
        tensors.clear();
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void put(Map<String, SafetensorsEntry> tensors, String name, float[] values) {
        SafetensorsEntry old = tensors.get(name);
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        tensors.put(name, new SafetensorsEntry(name, "F32", old.shape(), data));
    }
}
