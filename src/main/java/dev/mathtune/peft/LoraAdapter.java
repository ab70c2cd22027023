package dev.mathtune.peft;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.model.LayerProjections;
import dev.mathtune.model.LayerWeights;
import dev.mathtune.model.Projection;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.model.Qwen2Weights;
import dev.mathtune.train.Trainable;

/**
 * LoRA over a frozen Qwen2 model: every targeted projection of every layer becomes a {@link LoraLinear}
 * ({@code W x + s·B·A x}). Fresh adapters follow PEFT's init: {@code A ~ kaiming_uniform(a=√5)}, i.e.
 * {@code U(−1/√in, 1/√in)}, drawn layer by layer in {@link LayerProjections#NAMES} order from
 * {@code SplittableRandom(seed)}; {@code B = 0}, so the wrapped model starts identical to the base.
 *
 * <p>Tensors are named as PEFT saves them ({@code base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight},
 * {@code …lora_B.weight}); {@link #save} writes a directory {@code PeftModel.from_pretrained} loads, and
 * {@link #merge} folds the adapter into the weights: {@code W' = W + s·B·A} in fp32, cast back to W's dtype.
 */
public final class LoraAdapter implements Trainable {
    /** Prefix of every PEFT LoRA tensor name for a causal LM. */
    public static final String KEY_PREFIX = "base_model.model.model.layers.";

    private final Qwen2Model base;
    private final Qwen2Model model;
    private final LoraConfig config;
    private final String baseModelName;
    private final List<LoraLinear> wrapped = new ArrayList<>();
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();

    private LoraAdapter(Qwen2Model base, LoraConfig config, String baseModelName, Map<String, Tensor> given) {
        this.base = base;
        this.config = config;
        this.baseModelName = baseModelName;
        freeze(base);
        SplittableRandom rng = new SplittableRandom(config.seed());
        int layers = base.config().numLayers();
        LoraLinear[][] made = new LoraLinear[layers][LayerProjections.NAMES.length];
        for (int i = 0; i < layers; i++) {
            Projection[] p = base.projections().get(i).all();
            for (int j = 0; j < p.length; j++) {
                if (!config.targets(j)) continue;
                long out = p[j].weight().size(0), in = p[j].weight().size(1);
                Tensor a = given != null ? given.get(keyA(i, j)) : SeededInit.kaimingUniformSqrt5(rng, config.r(), in);
                Tensor b = given != null ? given.get(keyB(i, j)) : SeededInit.zeros(out, config.r());
                Scope.keep(a).requires_grad_(true);
                Scope.keep(b).requires_grad_(true);
                made[i][j] = new LoraLinear(p[j], a, b, config.scaling(), config.dropout());
                wrapped.add(made[i][j]);
                parameters.put(keyA(i, j), a);
                parameters.put(keyB(i, j), b);
            }
        }
        this.model = base.withProjections((i, lp) -> {
            Projection[] p = lp.all();
            for (int j = 0; j < p.length; j++) if (made[i][j] != null) p[j] = made[i][j];
            return LayerProjections.of(p);
        });
        train(false);
    }

    /** A fresh adapter (B = 0) on {@code base}; {@code base_model_name_or_path} is written as null. */
    public static LoraAdapter create(Qwen2Model base, LoraConfig config) {
        return create(base, config, null);
    }

    /** A fresh adapter (B = 0) on {@code base}, recording {@code baseModelName} as {@code base_model_name_or_path}. */
    public static LoraAdapter create(Qwen2Model base, LoraConfig config, String baseModelName) {
        return new LoraAdapter(base, config, baseModelName, null);
    }

    /** Sets {@code requires_grad = false} on every base weight. */
    static void freeze(Qwen2Model base) {
        for (Tensor t : base.weights().named().values()) {
            if (t.requires_grad()) t.requires_grad_(false);
        }
        if (base.weights().lmHead().requires_grad()) base.weights().lmHead().requires_grad_(false);
    }

    /** PEFT's name for {@code lora_A} of projection {@code index} of {@code layer}. */
    public static String keyA(int layer, int index) {
        return KEY_PREFIX + layer + "." + LayerProjections.modulePath(index) + ".lora_A.weight";
    }

    /** PEFT's name for {@code lora_B} of projection {@code index} of {@code layer}. */
    public static String keyB(int layer, int index) {
        return KEY_PREFIX + layer + "." + LayerProjections.modulePath(index) + ".lora_B.weight";
    }

    /**
     * Loads a PEFT LoRA adapter directory onto {@code base}. Supports what {@link #save} writes and what PEFT writes
     * for plain LoRA on Qwen2 linear layers; refuses DoRA, fan_in_fan_out, trained biases, per-layer rank/alpha
     * patterns, layer subsets and unknown target modules. Every tensor name and shape is checked.
     */
    public static LoraAdapter load(Qwen2Model base, Path dir) {
        JsonNode n = PeftFiles.readConfig(dir);
        Path file = dir.resolve(PeftFiles.CONFIG);
        String type = n.path("peft_type").asText("");
        if (!type.equals(PeftFiles.LORA)) {
            throw UserError.inFile(file, "field 'peft_type': expected \"LORA\", got \"" + type + "\"");
        }
        int r = PeftFiles.intField(n, file, "r");
        JsonNode alphaNode = n.get("lora_alpha");
        double alpha = alphaNode == null || alphaNode.isNull() ? 8 : alphaNode.asDouble();
        double dropout = n.path("lora_dropout").asDouble(0.0);
        refuse(n, file, "fan_in_fan_out", v -> v.asBoolean(false), "fan_in_fan_out=true is not supported");
        refuse(n, file, "use_dora", v -> v.asBoolean(false), "DoRA adapters are not supported");
        refuse(n, file, "bias", v -> !v.asText("none").equals("none"), "trained biases are not supported (need \"none\")");
        refuse(n, file, "layers_to_transform", v -> !v.isNull(), "layer subsets are not supported (need null)");
        refuse(n, file, "rank_pattern", v -> !v.isNull() && v.size() > 0, "per-module ranks are not supported");
        refuse(n, file, "alpha_pattern", v -> !v.isNull() && v.size() > 0, "per-module alphas are not supported");
        refuse(n, file, "modules_to_save", v -> !v.isNull() && v.size() > 0, "modules_to_save is not supported");
        List<String> targets = new ArrayList<>();
        JsonNode t = n.get("target_modules");
        if (t == null || t.isNull()) throw UserError.inFile(file, "field 'target_modules': missing");
        if (t.isTextual()) targets.add(t.asText());
        else t.forEach(x -> targets.add(x.asText()));
        for (String name : targets) {
            if (!LoraConfig.ALL_TARGETS.contains(name)) {
                throw UserError.inFile(file, "field 'target_modules': '" + name + "' is not a Qwen2 projection "
                        + LoraConfig.ALL_TARGETS);
            }
        }
        LoraConfig config;
        try {
            config = new LoraConfig(r, alpha, dropout, targets, n.path("use_rslora").asBoolean(false), 0L);
        } catch (IllegalArgumentException e) {
            throw UserError.inFile(file, e.getMessage());
        }
        Engine.init();
        var st = PeftFiles.readWeights(dir);
        Path weights = dir.resolve(PeftFiles.WEIGHTS);
        Map<String, Tensor> given = new LinkedHashMap<>();
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < base.config().numLayers(); i++) {
            Projection[] p = base.projections().get(i).all();
            for (int j = 0; j < p.length; j++) {
                if (!config.targets(j)) continue;
                long out = p[j].weight().size(0), in = p[j].weight().size(1);
                given.put(keyA(i, j), PeftFiles.tensor(st, weights, keyA(i, j), new long[]{r, in}));
                given.put(keyB(i, j), PeftFiles.tensor(st, weights, keyB(i, j), new long[]{out, r}));
                expected.add(keyA(i, j));
                expected.add(keyB(i, j));
            }
        }
        for (String k : st.keySet()) {
            if (!expected.contains(k)) {
                throw UserError.inFile(weights, "unexpected tensor '" + k + "' (expected only names like "
                        + keyA(0, 0) + " for the target modules " + config.orderedTargets() + ")");
            }
        }
        String baseName = n.hasNonNull("base_model_name_or_path") ? n.get("base_model_name_or_path").asText() : null;
        return new LoraAdapter(base, config, baseName, given);
    }

    private static void refuse(JsonNode n, Path file, String key, java.util.function.Predicate<JsonNode> bad, String why) {
        JsonNode v = n.get(key);
        if (v != null && bad.test(v)) throw UserError.inFile(file, "field '" + key + "': " + why);
    }

    public LoraConfig config() {
        return config;
    }

    /** The unwrapped base model. */
    public Qwen2Model base() {
        return base;
    }

    /** The wrapped projections, layer by layer in {@link LayerProjections#NAMES} order. */
    public List<LoraLinear> layers() {
        return List.copyOf(wrapped);
    }

    @Override
    public Qwen2Model model() {
        return model;
    }

    @Override
    public Map<String, Tensor> parameters() {
        return java.util.Collections.unmodifiableMap(parameters);
    }

    @Override
    public Set<String> noDecay() {
        return Set.of();
    }

    @Override
    public void train(boolean on) {
        for (LoraLinear l : wrapped) l.training(on);
    }

    /** The {@code adapter_config.json} content PEFT writes for this adapter. */
    public ObjectNode configJson() {
        ObjectNode c = PeftFiles.JSON.createObjectNode();
        c.putObject("alpha_pattern");
        c.putNull("auto_mapping");
        if (baseModelName == null) c.putNull("base_model_name_or_path");
        else c.put("base_model_name_or_path", baseModelName);
        c.put("bias", "none");
        c.put("fan_in_fan_out", false);
        c.put("inference_mode", true);
        c.put("init_lora_weights", true);
        c.putNull("layer_replication");
        c.putNull("layers_pattern");
        c.putNull("layers_to_transform");
        c.putObject("loftq_config");
        c.put("lora_alpha", config.alpha());
        c.put("lora_dropout", config.dropout());
        c.putNull("megatron_config");
        c.put("megatron_core", "megatron.core");
        c.putNull("modules_to_save");
        c.put("peft_type", PeftFiles.LORA);
        c.put("r", config.r());
        c.putObject("rank_pattern");
        c.putNull("revision");
        var targets = c.putArray("target_modules");
        config.orderedTargets().forEach(targets::add);
        c.put("task_type", "CAUSAL_LM");
        c.put("use_dora", false);
        c.put("use_rslora", config.useRsLora());
        return c;
    }

    @Override
    public void save(Path dir) throws IOException {
        try (Scope s = Scope.open()) {
            PeftFiles.writeWeights(dir, parameters);
        }
        PeftFiles.writeConfig(dir, configJson());
    }

    /**
     * {@code baseWeights} with every targeted projection weight replaced by {@code W + s·B·A}, computed in fp32
     * and cast to W's dtype; all other tensors are shared with {@code baseWeights}.
     */
    public Qwen2Weights merge(Qwen2Weights baseWeights) {
        int[] weightIndex = {0, 2, 4, 6, 7, 8, 9}; // LayerProjections order -> LayerWeights order
        List<LayerWeights> layers = new ArrayList<>();
        try (NoGradGuard ng = new NoGradGuard()) {
            int k = 0;
            for (int i = 0; i < baseWeights.layers().size(); i++) {
                Tensor[] t = baseWeights.layers().get(i).all();
                for (int j = 0; j < LayerProjections.NAMES.length; j++) {
                    if (!config.targets(j)) continue;
                    LoraLinear l = wrapped.get(k++);
                    Tensor w = t[weightIndex[j]];
                    Tensor merged;
                    try (Scope s = Scope.open()) {
                        Tensor sum = w.to(DType.FP32.scalarType()).add(l.deltaWeight());
                        merged = Scope.keep(Tensors.dtype(w) == DType.FP32 ? sum : sum.to(w.scalar_type()));
                    }
                    t[weightIndex[j]] = merged;
                }
                layers.add(LayerWeights.of(t));
            }
        }
        return new Qwen2Weights(baseWeights.config(), baseWeights.embed(), List.copyOf(layers), baseWeights.norm(),
                baseWeights.lmHead());
    }
}
