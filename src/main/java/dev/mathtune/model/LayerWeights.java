package dev.mathtune.model;

import org.bytedeco.pytorch.Tensor;

/**
 * The tensors of one decoder layer, in HF's layout: q/k/v/o projections ({@code (out, in)}, biases on q/k/v
 * only), the SwiGLU MLP (gate, up, down) and the two RMSNorm weights.
 */
public record LayerWeights(Tensor qWeight, Tensor qBias, Tensor kWeight, Tensor kBias, Tensor vWeight, Tensor vBias,
                           Tensor oWeight, Tensor gateWeight, Tensor upWeight, Tensor downWeight,
                           Tensor inputNorm, Tensor postAttentionNorm) {

    /** HF names relative to {@code model.layers.{i}.}, in this record's order. */
    public static final String[] NAMES = {
            "self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.weight", "self_attn.k_proj.bias",
            "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.o_proj.weight",
            "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
            "input_layernorm.weight", "post_attention_layernorm.weight"};

    public Tensor[] all() {
        return new Tensor[]{qWeight, qBias, kWeight, kBias, vWeight, vBias, oWeight, gateWeight, upWeight,
                downWeight, inputNorm, postAttentionNorm};
    }

    public static LayerWeights of(Tensor[] t) {
        return new LayerWeights(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11]);
    }

    /** Expected shape of each tensor, in {@link #NAMES} order. */
    public static long[][] shapes(Qwen2Config c) {
        long h = c.hiddenSize(), q = (long) c.numHeads() * c.headDim(), kv = (long) c.numKvHeads() * c.headDim();
        long f = c.intermediateSize();
        return new long[][]{{q, h}, {q}, {kv, h}, {kv}, {kv, h}, {kv}, {h, q}, {f, h}, {f, h}, {h, f}, {h}, {h}};
    }
}
