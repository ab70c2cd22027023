package dev.mathtune.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;
import dev.mathtune.io.AtomicFiles;

/**
 * The shape of a Qwen2 / Qwen2.5 decoder, read from Hugging Face's {@code config.json}. Absent keys take the
 * defaults of HF's {@code Qwen2Config} (note {@code tie_word_embeddings=false}, {@code rope_theta=10000}).
 * Sliding-window attention and {@code rope_scaling} are refused: Qwen2.5 checkpoints ship with both off.
 */
public record Qwen2Config(int vocabSize, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
                          int numKvHeads, int headDim, double rmsNormEps, double ropeTheta,
                          boolean tieWordEmbeddings, int maxPositionEmbeddings, Integer bosTokenId,
                          List<Integer> eosTokenIds, String torchDtype) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Qwen2Config {
        eosTokenIds = eosTokenIds == null ? List.of() : List.copyOf(eosTokenIds);
        if (numHeads <= 0 || numKvHeads <= 0 || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads
                    + ") must be a positive multiple of num_key_value_heads (" + numKvHeads + ")");
        }
    }

    /** Query heads per KV head (grouped-query attention). */
    public int groups() {
        return numHeads / numKvHeads;
    }

    /** Reads {@code dir/config.json}, with HF defaults for absent keys; errors name the file and key. */
    public static Qwen2Config load(Path dir) {
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw UserError.inFile(file, "missing (a model directory needs config.json)");
        }
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw UserError.inFile(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return fromJson(n, file);
    }

    static Qwen2Config fromJson(JsonNode n, Path file) {
        String type = n.path("model_type").asText("qwen2");
        if (!type.equals("qwen2")) {
            throw UserError.inFile(file, "field 'model_type': '" + type + "' is not supported (only qwen2)");
        }
        if (n.path("use_sliding_window").asBoolean(false)) {
            throw UserError.inFile(file, "field 'use_sliding_window': sliding-window attention is not supported");
        }
        if (n.hasNonNull("rope_scaling")) {
            throw UserError.inFile(file, "field 'rope_scaling': RoPE scaling is not supported");
        }
        int hidden = intField(n, file, "hidden_size", 4096);
        int heads = intField(n, file, "num_attention_heads", 32);
        int kvHeads = n.hasNonNull("num_key_value_heads") ? intField(n, file, "num_key_value_heads", heads) : heads;
        int headDim = n.hasNonNull("head_dim") ? intField(n, file, "head_dim", 0) : hidden / heads;
        if (heads % kvHeads != 0) {
            throw UserError.inFile(file, "field 'num_key_value_heads': " + kvHeads
                    + " does not divide num_attention_heads " + heads);
        }
        String act = n.path("hidden_act").asText("silu");
        if (!act.equals("silu")) {
            throw UserError.inFile(file, "field 'hidden_act': '" + act + "' is not supported (only silu)");
        }
        List<Integer> eos = new ArrayList<>();
        JsonNode e = n.get("eos_token_id");
        if (e != null && e.isArray()) e.forEach(x -> eos.add(x.asInt()));
        else if (e != null && e.isInt()) eos.add(e.asInt());
        Integer bos = n.hasNonNull("bos_token_id") ? n.get("bos_token_id").asInt() : null;
        return new Qwen2Config(intField(n, file, "vocab_size", 151936), hidden,
                intField(n, file, "intermediate_size", 22016), intField(n, file, "num_hidden_layers", 32),
                heads, kvHeads, headDim, n.path("rms_norm_eps").asDouble(1e-6),
                n.path("rope_theta").asDouble(10000.0), n.path("tie_word_embeddings").asBoolean(false),
                intField(n, file, "max_position_embeddings", 32768), bos, eos,
                n.hasNonNull("torch_dtype") ? n.get("torch_dtype").asText() : null);
    }

    private static int intField(JsonNode n, Path file, String key, int dflt) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) return dflt;
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw UserError.inFile(file, "field '" + key + "': expected a positive integer, got " + v);
        }
        return v.asInt();
    }

    /** The HF {@code config.json} content for this shape. */
    public ObjectNode toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architectures", List.of("Qwen2ForCausalLM"));
        m.put("model_type", "qwen2");
        m.put("vocab_size", vocabSize);
        m.put("hidden_size", hiddenSize);
        m.put("intermediate_size", intermediateSize);
        m.put("num_hidden_layers", numLayers);
        m.put("num_attention_heads", numHeads);
        m.put("num_key_value_heads", numKvHeads);
        if (headDim != hiddenSize / numHeads) m.put("head_dim", headDim);
        m.put("hidden_act", "silu");
        m.put("max_position_embeddings", maxPositionEmbeddings);
        m.put("rms_norm_eps", rmsNormEps);
        m.put("rope_theta", ropeTheta);
        m.put("tie_word_embeddings", tieWordEmbeddings);
        m.put("use_sliding_window", false);
        m.put("sliding_window", null);
        m.put("max_window_layers", numLayers);
        m.put("attention_dropout", 0.0);
        m.put("use_cache", true);
        if (bosTokenId != null) m.put("bos_token_id", bosTokenId);
        if (!eosTokenIds.isEmpty()) m.put("eos_token_id", eosTokenIds.size() == 1 ? eosTokenIds.get(0) : eosTokenIds);
        if (torchDtype != null) m.put("torch_dtype", torchDtype);
        return JSON.valueToTree(m);
    }

    public Qwen2Config withTorchDtype(String dtype) {
        return new Qwen2Config(vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, tieWordEmbeddings, maxPositionEmbeddings, bosTokenId, eosTokenIds, dtype);
    }

    /** The same widths with {@code layers} decoder layers and {@code vocab} tokens (a probe's slice of the model). */
    public Qwen2Config withDepthAndVocab(int layers, int vocab) {
        return new Qwen2Config(vocab, hiddenSize, intermediateSize, layers, numHeads, numKvHeads, headDim,
                rmsNormEps, ropeTheta, tieWordEmbeddings, maxPositionEmbeddings, bosTokenId, eosTokenIds, torchDtype);
    }

    /** Writes {@code dir/config.json} atomically. */
    public void save(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("config.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJson()) + "\n");
    }

    /** Number of parameters (embedding counted once when tied). */
    public long parameterCount() {
        long h = hiddenSize, q = (long) numHeads * headDim, kv = (long) numKvHeads * headDim;
        long attn = h * q + q + 2 * (h * kv + kv) + q * h;
        long mlp = 3 * h * intermediateSize;
        long layer = attn + mlp + 2 * h;
        long emb = (long) vocabSize * h;
        return emb + (tieWordEmbeddings ? 0 : emb) + numLayers * layer + h;
    }
}
