package dev.mathtune.peft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.generate.PrefixKv;
import dev.mathtune.model.KvCache;
import dev.mathtune.model.KvSource;
import dev.mathtune.model.Qwen2Config;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.train.Trainable;

/**
 * Prefix-tuning (Li &amp; Liang 2021) as PEFT implements it for a decoder: P trained key/value vectors per layer and
 * KV head, placed before every sequence; the base model stays frozen. The prefix is one matrix
 * {@code prompt (P, 2·L·kvHeads·headDim)} whose flat column index is
 * <pre>
 *   ((layer·2 + {0: key, 1: value})·kvHeads + head)·headDim + d
 * </pre>
 * (PEFT's {@code get_prompt}: {@code view(B, P, 2L, kvHeads, headDim).permute(2, 0, 3, 1, 4).split(2)}).
 * Prefix keys get no RoPE; the real tokens take positions P..P+T−1.
 *
 * <p>Without projection {@code prompt} is trained directly, initialised N(0, initStd²) from a seeded Java stream.
 * With projection (PEFT's {@code PrefixEncoder}) {@code prompt = W₂·tanh(W₁·E + b₁) + b₂} with
 * {@code E (P, tokenDim) ~ N(0, 1)} (nn.Embedding's default) and torch-default Linear init
 * ({@code U(−1/√in, 1/√in)} for weights and biases); only the projected prompt is saved.
 *
 * <p>For grouped-query attention the config follows PEFT ≥ 0.12 ({@code _prepare_prompt_learning_config},
 * issue #1901): {@code token_dim = kvHeads·headDim} and {@code num_attention_heads = kvHeads}, which is what
 * PEFT itself writes for Qwen2; loading accepts either that or {@code token_dim = hidden},
 * {@code num_attention_heads = heads}, as PEFT does.
 */
public final class PrefixTuning implements Trainable, PrefixKv {
    /** The single tensor of a saved prefix adapter. */
    public static final String PROMPT_KEY = "prompt_embeddings";
    static final String EMBEDDING = "prompt_encoder.embedding.weight";
    static final String W1 = "prompt_encoder.transform.0.weight";
    static final String B1 = "prompt_encoder.transform.0.bias";
    static final String W2 = "prompt_encoder.transform.2.weight";
    static final String B2 = "prompt_encoder.transform.2.bias";

    private final Qwen2Model base;
    private final PrefixConfig config;
    private final String baseModelName;
    private final int layers;
    private final long kvHeads;
    private final long headDim;
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Tensor embedding;
    private final Tensor w1, b1, w2, b2;

    private PrefixTuning(Qwen2Model base, PrefixConfig config, String baseModelName, Tensor loadedPrompt) {
        LoraAdapter.freeze(base);
        Qwen2Config c = base.config();
        this.base = base;
        this.config = config;
        this.baseModelName = baseModelName;
        this.layers = c.numLayers();
        this.kvHeads = c.numKvHeads();
        this.headDim = c.headDim();
        long p = config.numVirtualTokens(), tokenDim = tokenDim(), flat = flatDim();
        SplittableRandom rng = new SplittableRandom(config.seed());
        if (loadedPrompt != null || !config.prefixProjection()) {
            embedding = param(EMBEDDING, loadedPrompt != null ? loadedPrompt : SeededInit.normal(rng, config.initStd(), p, flat));
            w1 = b1 = w2 = b2 = null;
        } else {
            long enc = encoderHiddenSize();
            embedding = param(EMBEDDING, SeededInit.normal(rng, 1.0, p, tokenDim));
            w1 = param(W1, SeededInit.kaimingUniformSqrt5(rng, enc, tokenDim));
            b1 = param(B1, SeededInit.uniform(rng, 1.0 / Math.sqrt(tokenDim), enc));
            w2 = param(W2, SeededInit.kaimingUniformSqrt5(rng, flat, enc));
            b2 = param(B2, SeededInit.uniform(rng, 1.0 / Math.sqrt(enc), flat));
        }
    }

    private Tensor param(String name, Tensor t) {
        Scope.keep(t).requires_grad_(true);
        parameters.put(name, t);
        return t;
    }

    /** A fresh prefix on {@code base} ({@code base_model_name_or_path} written as null). */
    public static PrefixTuning create(Qwen2Model base, PrefixConfig config) {
        return create(base, config, null);
    }

    public static PrefixTuning create(Qwen2Model base, PrefixConfig config, String baseModelName) {
        Engine.init();
        return new PrefixTuning(base, config, baseModelName, null);
    }

    public PrefixConfig config() {
        return config;
    }

    /** {@code kvHeads · headDim}: PEFT's {@code token_dim} after its grouped-query adjustment. */
    public long tokenDim() {
        return kvHeads * headDim;
    }

    /** {@code 2 · L · kvHeads · headDim}: the width of {@code prompt_embeddings}. */
    public long flatDim() {
        return 2L * layers * tokenDim();
    }

    private long encoderHiddenSize() {
        return config.encoderHiddenSize() > 0 ? config.encoderHiddenSize() : tokenDim();
    }

    /** Whether training goes through the MLP reparameterisation (false after {@link #load}). */
    public boolean projected() {
        return w1 != null;
    }

    /** The prefix as PEFT saves it, {@code (P, 2·L·kvHeads·headDim)} fp32, with gradient tracking. */
    public Tensor prompt() {
        if (!projected()) return embedding;
        Tensor h = torch.tanh(torch.linear(embedding, w1, new TensorOptional(b1)));
        return torch.linear(h, w2, new TensorOptional(b2));
    }

    /**
     * Per-layer prefix keys and values {@code (kvHeads, P, headDim)} in the model's dtype: {@code [0][l]} keys,
     * {@code [1][l]} values of layer l.
     */
    public Tensor[][] keysValues() {
        Tensor flat = prompt();
        if (base.dtype() != DType.FP32) flat = flat.to(base.dtype().scalarType());
        long p = config.numVirtualTokens();
        Tensor kv = flat.view(p, 2L * layers, kvHeads, headDim).permute(1, 2, 0, 3);   // (2L, kvHeads, P, d)
        Tensor[][] out = new Tensor[2][layers];
        for (int l = 0; l < layers; l++) {
            out[0][l] = kv.select(0, 2L * l);
            out[1][l] = kv.select(0, 2L * l + 1);
        }
        return out;
    }

    @Override
    public Qwen2Model model() {
        return base;
    }

    /**
     * A {@link KvSource} that puts the prefix (expanded over the batch) before each layer's keys and values:
     * {@code K = [K_prefix; K]}, {@code V = [V_prefix; V]}. The prefix is recomputed at layer 0 of every forward,
     * inside the caller's scope, so gradients reach the prefix parameters.
     */
    @Override
    public KvSource trainingPrefix(long rows) {
        return new KvSource() {
            private Tensor[][] kv;

            @Override
            public void begin() {
                kv = keysValues();
            }

            @Override
            public Tensor[] extend(int layer, Tensor k, Tensor v) {
                if (kv == null) throw new IllegalStateException("prefix used outside a forward pass (begin() not called)");
                long b = k.size(0), p = config.numVirtualTokens();
                Tensor pk = kv[0][layer].unsqueeze(0).expand(b, kvHeads, p, headDim);
                Tensor pv = kv[1][layer].unsqueeze(0).expand(b, kvHeads, p, headDim);
                return new Tensor[]{torch.cat(new TensorVector(pk, k), 2), torch.cat(new TensorVector(pv, v), 2)};
            }

            @Override
            public long pastLength() {
                return config.numVirtualTokens();
            }
        };
    }

    @Override
    public long prefixLength() {
        return config.numVirtualTokens();
    }

    /** P, for the generator. */
    @Override
    public long length() {
        return config.numVirtualTokens();
    }

    /** Writes the prefix (no gradient) into columns 0..P−1 of every row of {@code cache}. */
    @Override
    public void fill(KvCache cache) {
        try (Scope s = Scope.open(); NoGradGuard ng = new NoGradGuard()) {
            Tensor[][] kv = keysValues();
            cache.fillPrefix(kv[0], kv[1]);
        }
    }

    @Override
    public Map<String, Tensor> parameters() {
        return java.util.Collections.unmodifiableMap(parameters);
    }

    @Override
    public Set<String> noDecay() {
        return projected() ? Set.of(B1, B2) : Set.of();
    }

    /** The {@code adapter_config.json} content PEFT writes for this prefix. */
    public ObjectNode configJson() {
        ObjectNode c = PeftFiles.JSON.createObjectNode();
        c.putNull("auto_mapping");
        if (baseModelName == null) c.putNull("base_model_name_or_path");
        else c.put("base_model_name_or_path", baseModelName);
        c.put("encoder_hidden_size", encoderHiddenSize());
        c.put("inference_mode", true);
        c.put("num_attention_heads", kvHeads);
        c.put("num_layers", layers);
        c.put("num_transformer_submodules", 1);
        c.put("num_virtual_tokens", config.numVirtualTokens());
        c.put("peft_type", PeftFiles.PREFIX_TUNING);
        c.put("prefix_projection", config.prefixProjection());
        c.putNull("revision");
        c.put("task_type", "CAUSAL_LM");
        c.put("token_dim", tokenDim());
        return c;
    }

    /** Writes {@code adapter_config.json} and {@code adapter_model.safetensors} ({@code prompt_embeddings}, projected). */
    @Override
    public void save(Path dir) throws IOException {
        try (Scope s = Scope.open(); NoGradGuard ng = new NoGradGuard()) {
            PeftFiles.writeWeights(dir, Map.of(PROMPT_KEY, prompt()));
        }
        PeftFiles.writeConfig(dir, configJson());
    }

    /** Loads a PEFT prefix-tuning adapter onto {@code base}, checking the config against the model and the tensor. */
    public static PrefixTuning load(Qwen2Model base, Path dir) {
        JsonNode n = PeftFiles.readConfig(dir);
        Path file = dir.resolve(PeftFiles.CONFIG);
        String type = n.path("peft_type").asText("");
        if (!type.equals(PeftFiles.PREFIX_TUNING)) {
            throw UserError.inFile(file, "field 'peft_type': expected \"PREFIX_TUNING\", got \"" + type + "\"");
        }
        Qwen2Config c = base.config();
        int p = PeftFiles.intField(n, file, "num_virtual_tokens");
        int layers = n.hasNonNull("num_layers") ? PeftFiles.intField(n, file, "num_layers") : c.numLayers();
        if (layers != c.numLayers()) {
            throw UserError.inFile(file, "field 'num_layers': " + layers + " but the base model has " + c.numLayers() + " layers");
        }
        int subs = n.hasNonNull("num_transformer_submodules") ? PeftFiles.intField(n, file, "num_transformer_submodules") : 1;
        if (subs != 1) throw UserError.inFile(file, "field 'num_transformer_submodules': " + subs + " (a decoder-only model needs 1)");
        int heads = n.hasNonNull("num_attention_heads") ? PeftFiles.intField(n, file, "num_attention_heads") : c.numHeads();
        int tokenDim = n.hasNonNull("token_dim") ? PeftFiles.intField(n, file, "token_dim") : c.hiddenSize();
        // PEFT's grouped-query rule: token_dim / num_attention_heads is the head size, kv heads replace heads.
        if (tokenDim % heads != 0 || tokenDim / heads != c.headDim()) {
            throw UserError.inFile(file, "fields 'token_dim' " + tokenDim + " / 'num_attention_heads' " + heads
                    + " do not give the base model's head size " + c.headDim());
        }
        boolean projection = n.path("prefix_projection").asBoolean(false);
        int enc = n.hasNonNull("encoder_hidden_size") ? PeftFiles.intField(n, file, "encoder_hidden_size") : 0;
        String baseName = n.hasNonNull("base_model_name_or_path") ? n.get("base_model_name_or_path").asText() : null;
        PrefixConfig config = new PrefixConfig(p, projection, enc, 0L);
        Engine.init();
        var st = PeftFiles.readWeights(dir);
        Path weights = dir.resolve(PeftFiles.WEIGHTS);
        for (String k : st.keySet()) {
            if (!k.equals(PROMPT_KEY)) {
                throw UserError.inFile(weights, "unexpected tensor '" + k + "' (a prefix adapter holds only '" + PROMPT_KEY + "')");
            }
        }
        long flat = 2L * c.numLayers() * c.numKvHeads() * c.headDim();
        Tensor prompt = PeftFiles.tensor(st, weights, PROMPT_KEY, new long[]{p, flat});
        return new PrefixTuning(base, config, baseName, prompt);
    }
}
