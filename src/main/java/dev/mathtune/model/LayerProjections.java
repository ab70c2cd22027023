package dev.mathtune.model;

/** The seven linear maps of a decoder layer, which LoRA may wrap; HF module names in {@link #NAMES}. */
public record LayerProjections(Projection q, Projection k, Projection v, Projection o,
                               Projection gate, Projection up, Projection down) {

    /** PEFT target-module names, in record order. */
    public static final String[] NAMES = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};

    /** Plain products; batched decoding's 8–64 rows from oneDNN-reordered weights ({@link PackedLinear#layer}). */
    public static LayerProjections dense(LayerWeights w) {
        return new LayerProjections(PackedLinear.layer(w.qWeight(), w.qBias()), PackedLinear.layer(w.kWeight(), w.kBias()),
                PackedLinear.layer(w.vWeight(), w.vBias()), PackedLinear.layer(w.oWeight(), null),
                PackedLinear.layer(w.gateWeight(), null), PackedLinear.layer(w.upWeight(), null),
                PackedLinear.layer(w.downWeight(), null));
    }

    public Projection[] all() {
        return new Projection[]{q, k, v, o, gate, up, down};
    }

    public static LayerProjections of(Projection[] p) {
        return new LayerProjections(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    }

    /** HF module path of projection {@code index}, e.g. {@code self_attn.q_proj} or {@code mlp.down_proj}. */
    public static String modulePath(int index) {
        return (index < 4 ? "self_attn." : "mlp.") + NAMES[index];
    }
}
