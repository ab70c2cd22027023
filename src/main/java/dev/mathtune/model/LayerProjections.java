package dev.mathtune.model;

import org.bytedeco.pytorch.Tensor;

import dev.mathtune.engine.Tensors;

/**
 * The seven linear maps of a decoder layer, which LoRA may wrap; HF module names in {@link #NAMES}. {@code qkv} and
 * {@code gateUp} are the same maps over their weights' shared buffers ({@link Qwen2Weights} stores q/k/v, and
 * gate/up, as adjacent rows), null once any projection is wrapped or the weights are not adjacent.
 */
public record LayerProjections(Projection q, Projection k, Projection v, Projection o,
                               Projection gate, Projection up, Projection down,
                               PackedLinear qkv, PackedLinear gateUp) {

    /** PEFT target-module names, in record order. */
    public static final String[] NAMES = {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"};

    /** Plain products; batched decoding's 8–64 rows from oneDNN-reordered weights ({@link PackedLinear#layer}). */
    public static LayerProjections dense(LayerWeights w) {
        Tensor qkvWeight = Tensors.adjacentRows(w.qWeight(), w.kWeight(), w.vWeight());
        Tensor qkvBias = Tensors.adjacentRows(w.qBias(), w.kBias(), w.vBias());
        Tensor gateUpWeight = Tensors.adjacentRows(w.gateWeight(), w.upWeight());
        return new LayerProjections(PackedLinear.layer(w.qWeight(), w.qBias()), PackedLinear.layer(w.kWeight(), w.kBias()),
                PackedLinear.layer(w.vWeight(), w.vBias()), PackedLinear.layer(w.oWeight(), null),
                PackedLinear.layer(w.gateWeight(), null), PackedLinear.layer(w.upWeight(), null),
                PackedLinear.layer(w.downWeight(), null),
                qkvWeight == null || qkvBias == null ? null : PackedLinear.layer(qkvWeight, qkvBias),
                gateUpWeight == null ? null : PackedLinear.layer(gateUpWeight, null));
    }

    /**
     * {@code q(x), k(x), v(x)}. Inference rows with nothing to differentiate (decoding) take one product over the
     * three weights: for a single row one matrix-vector product, fewer and longer streams (sgemv over a 128-row k or
     * v weight runs at a third of the bandwidth it reaches over the 1152 rows of all three; each output is one row's
     * dot product, so the same floats as three products); for a batch in the oneDNN band one inner product over the
     * adjacent weight reordered once, instead of three (docs/BENCHMARKS.md, seventh session).
     */
    public Tensor[] qkv(Tensor x) {
        if (!fused(qkv, x, q.weight(), k.weight(), v.weight())) return new Tensor[]{q.apply(x), k.apply(x), v.apply(x)};
        return split(qkv.apply(x), q.weight().size(0), k.weight().size(0), v.weight().size(0));
    }

    /** {@code gate(x), up(x)}, one product as in {@link #qkv}. */
    public Tensor[] gateUp(Tensor x) {
        if (!fused(gateUp, x, gate.weight(), up.weight())) return new Tensor[]{gate.apply(x), up.apply(x)};
        return split(gateUp.apply(x), gate.weight().size(0), up.weight().size(0));
    }

    /**
     * Whether the parts' adjacent-rows product serves {@code x}: one fp32 inference row, XNNPACK's rows or the oneDNN
     * band, with no gradient wanted for any part (the spanning view was made before training may have switched
     * gradients on). The band decides, not whether oneDNN proved right on this CPU ({@link PackedLinear#checked}):
     * where it did not, the spanning product is the plain one, so the same rows always take the same products.
     */
    private static boolean fused(PackedLinear spanning, Tensor x, Tensor... parts) {
        if (spanning == null) return false;
        for (Tensor p : parts) if (p.requires_grad()) return false;
        return DenseLinear.matrixVector(x, parts) || spanning.inOneDnnBand(x) || spanning.usesXnnpack(x);
    }

    private static Tensor[] split(Tensor y, long... widths) {
        Tensor[] out = new Tensor[widths.length];
        long offset = 0;
        for (int i = 0; i < widths.length; i++) {
            out[i] = y.narrow(-1, offset, widths[i]);
            offset += widths[i];
        }
        return out;
    }

    /** Turns XNNPACK's small-row path of every plain projection on or off ({@link PackedLinear#smallRows}). */
    void smallRows(boolean on) {
        for (Projection p : new Projection[]{q, k, v, o, gate, up, down, qkv, gateUp}) {
            if (p instanceof PackedLinear packed) packed.smallRows(on);
        }
    }

    public Projection[] all() {
        return new Projection[]{q, k, v, o, gate, up, down};
    }

    /** Projections as given (e.g. some LoRA-wrapped): each applied on its own. */
    public static LayerProjections of(Projection[] p) {
        return new LayerProjections(p[0], p[1], p[2], p[3], p[4], p[5], p[6], null, null);
    }

    /** HF module path of projection {@code index}, e.g. {@code self_attn.q_proj} or {@code mlp.down_proj}. */
    public static String modulePath(int index) {
        return (index < 4 ? "self_attn." : "mlp.") + NAMES[index];
    }
}
