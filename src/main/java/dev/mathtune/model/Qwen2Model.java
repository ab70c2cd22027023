package dev.mathtune.model;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import org.bytedeco.pytorch.DoubleOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * The Qwen2 decoder as in HF's eager {@code Qwen2ForCausalLM}:
 * <pre>
 *   h = embed(ids)
 *   per layer: h += o(attn(rope(q(n1(h))), rope(k(n1(h))), v(n1(h))));  h += down(silu(gate(n2(h))) · up(n2(h)))
 *   logits = lm_head(norm(h))
 * </pre>
 * with RMSNorm {@code n(x) = w · x / sqrt(mean(x²) + ε)} computed in fp32, grouped-query attention
 * (query head h reads kv head {@code h / (heads / kvHeads)}) and an additive mask. The model computes; generators
 * and trainers drive it. Projections are swappable (LoRA) and key/values may come from a {@link KvSource}.
 */
public final class Qwen2Model {
    private final Qwen2Config config;
    private final Qwen2Weights weights;
    private final List<LayerProjections> projections;
    private final Rope rope;
    private final DType dtype;
    private final PackedLinear lmHead;

    public Qwen2Model(Qwen2Weights weights, DType dtype) {
        this(weights, dense(weights), dtype, PackedLinear.lmHead(weights.lmHead()));
    }

    private Qwen2Model(Qwen2Weights weights, List<LayerProjections> projections, DType dtype, PackedLinear lmHead) {
        this.config = weights.config();
        this.weights = weights;
        this.projections = List.copyOf(projections);
        this.rope = new Rope(config.headDim(), config.ropeTheta());
        this.dtype = dtype;
        this.lmHead = lmHead;
    }

    private static List<LayerProjections> dense(Qwen2Weights w) {
        List<LayerProjections> p = new ArrayList<>();
        for (LayerWeights lw : w.layers()) p.add(LayerProjections.dense(lw));
        return p;
    }

    /** The same model with layer i's projections replaced by {@code wrap(i, projections)} (e.g. LoRA). */
    public Qwen2Model withProjections(BiFunction<Integer, LayerProjections, LayerProjections> wrap) {
        List<LayerProjections> p = new ArrayList<>();
        for (int i = 0; i < projections.size(); i++) p.add(wrap.apply(i, projections.get(i)));
        return new Qwen2Model(weights, p, dtype, lmHead);
    }

    public Qwen2Config config() {
        return config;
    }

    public Qwen2Weights weights() {
        return weights;
    }

    public List<LayerProjections> projections() {
        return projections;
    }

    public DType dtype() {
        return dtype;
    }

    /**
     * Hidden states after the final norm.
     *
     * @param ids       {@code (B, T)} int64 token ids
     * @param positions {@code (B, T)} int64 RoPE positions
     * @param bias      {@code (B, 1, 1, T, S)} additive mask from {@link AttentionMask}
     * @param kv        earlier keys/values (cache or prefix), or null
     * @return {@code (B, T, hidden)}
     */
    public Tensor forward(Tensor ids, Tensor positions, Tensor bias, KvSource kv) {
        if (kv != null) kv.begin();
        Tensor h = Tensors.embedding(weights.embed(), ids);                       // (B, T, H)
        Tensor[] cosSin = rope.cosSin(positions, dtype);
        Tensor kept = null;
        for (int i = 0; i < config.numLayers(); i++) {
            // Each layer in its own scope: its temporaries are freed when it ends (autograd keeps what backward
            // needs alive on the C++ side), so peak memory is one layer's activations, not all of them.
            Tensor next;
            try (Scope s = Scope.open()) {
                next = Scope.keep(layer(i, h, cosSin, bias, kv));
            }
            Tensors.release(kept);
            h = kept = next;
        }
        Tensor out = rmsNorm(h, weights.norm());
        Tensors.release(kept);
        return out;
    }

    /** One decoder layer: {@code h + attn(n1(h))}, then {@code + mlp(n2(·))}. */
    private Tensor layer(int i, Tensor h, Tensor[] cosSin, Tensor bias, KvSource kv) {
        LayerWeights w = weights.layers().get(i);
        LayerProjections p = projections.get(i);
        h = h.add(attention(i, p, rmsNorm(h, w.inputNorm()), cosSin, bias, kv));
        Tensor x = rmsNorm(h, w.postAttentionNorm());
        Tensor[] gateUp = p.gateUp(x);
        return h.add(p.down().apply(torch.silu(gateUp[0]).mul(gateUp[1])));
    }

    /**
     * Whether a forward over {@code rows} token rows (batch × positions) runs the decoder's projections on all of
     * libtorch's OpenMP threads: {@link #productsOnOpenMp(DType, long)} for this model's dtype.
     */
    public boolean productsOnOpenMp(long rows) {
        return productsOnOpenMp(dtype, rows);
    }

    /**
     * Whether an inference forward over {@code rows} token rows in {@code dtype} runs its projections on all of
     * libtorch's OpenMP threads, as oneDNN does for the fp32 inference band of {@link PackedLinear#layer} and for
     * every bf16 product, rather than on one (fp32 outside that band, whose products are OpenBLAS's on its own
     * threads, or XNNPACK's at 1–{@value #SMALL_ROWS} rows). bf16 at one row was tried on one thread too: it decoded
     * 7–30 % slower than on two on a quiet machine, though two spinning threads lose more when another process wants
     * a core (docs/BENCHMARKS.md, eleventh session).
     */
    public static boolean productsOnOpenMp(DType dtype, long rows) {
        return dtype != DType.FP32 || PackedLinear.inLayerBand(rows);
    }

    /** The most rows {@link #packSmallRows} serves through XNNPACK. */
    public static final int SMALL_ROWS = PackedLinear.SMALL_MAX_ROWS;

    /**
     * Whether forwards of 1–{@value #SMALL_ROWS} fp32 inference rows run on XNNPACK, from copies of the weights it
     * packs at the first such forward (their size again in memory); off frees them. The generator turns it on at its
     * first run of at most that many sequences (batch-1 decoding: docs/BENCHMARKS.md, Generation, eighth session)
     * and leaves it on. Projections LoRA wraps keep their own products.
     */
    public void packSmallRows(boolean on) {
        for (LayerProjections p : projections) p.smallRows(on);
        lmHead.smallRows(on);
    }

    /** Whether {@link #packSmallRows} is on (read from the lm_head, which every model made from this one shares). */
    public boolean packsSmallRows() {
        return lmHead.smallRows();
    }

    /** {@code (…, H) -> (…, vocab)} logits; a few fp32 inference rows (batched decoding) go through oneDNN. */
    public Tensor logits(Tensor hidden) {
        return lmHead.apply(hidden);
    }

    private Tensor attention(int layer, LayerProjections p, Tensor x, Tensor[] cosSin, Tensor bias, KvSource kv) {
        long b = x.size(0), t = x.size(1);
        long nh = config.numHeads(), nkv = config.numKvHeads(), d = config.headDim(), g = config.groups();
        Tensor[] qkv = p.qkv(x);
        Tensor q = qkv[0].view(b, t, nh, d).transpose(1, 2);                     // (B, nh, T, d)
        Tensor k = qkv[1].view(b, t, nkv, d).transpose(1, 2);                    // (B, nkv, T, d)
        Tensor v = qkv[2].view(b, t, nkv, d).transpose(1, 2);
        q = rope.apply(q, cosSin[0], cosSin[1]);
        k = rope.apply(k, cosSin[0], cosSin[1]);
        if (kv != null) {
            Tensor[] all = kv.extend(layer, k, v);                               // (B, nkv, S, d)
            k = all[0];
            v = all[1];
        }
        long s = k.size(2);
        boolean onCuda = Tensors.onCuda(q);
        if (onCuda || Tensors.onCpu(q) && dtype == DType.FP32 && !q.requires_grad() && !k.requires_grad()
                && !v.requires_grad()) {
            // libtorch's fused attention. On the CPU for fp32 inference (one parallel loop over rows and heads, GQA
            // native) instead of many small batched products: 1.6-2.5x faster per layer when decoding. On a GPU
            // always, training included: with a mask the memory-efficient kernel is eligible, which takes no GQA,
            // so K and V are expanded to every query head there. Elsewhere the written-out form below (ENGINE.md
            // trap 8: in bf16 on the CPU it is faster; on the meta device it is what meta kernels cover).
            boolean gqa = g > 1 && !onCuda;
            if (g > 1 && onCuda) {
                k = k.unsqueeze(2).expand(b, nkv, g, s, d).reshape(b, nh, s, d);    // (B, nh, S, d)
                v = v.unsqueeze(2).expand(b, nkv, g, s, d).reshape(b, nh, s, d);
            }
            Tensor mask = bias.reshape(bias.size(0), 1, t, s);
            if (mask.scalar_type().value != q.scalar_type().value) mask = mask.to(q.scalar_type()); // autocast
            Tensor out = torch.scaled_dot_product_attention(q, k, v, new TensorOptional(mask), 0.0, false,
                    new DoubleOptional(1.0 / Math.sqrt(d)), gqa);     // (B, nh, T, d)
            return p.o().apply(out.transpose(1, 2).reshape(b, t, nh * d));
        }
        // The g query heads that share a kv head are folded into the rows of one product per kv head,
        // (g·T, d) × (d, S): no broadcast copies of K and V (the cache is read once, not g times).
        Tensor qg = q.reshape(b, nkv, g * t, d);                                 // heads grouped by kv head
        Tensor scores = qg.matmul(k.transpose(-1, -2))                          // (B, nkv, g·T, S)
                .mul(new Scalar(1.0 / Math.sqrt(d)))
                .view(b, nkv, g, t, s)
                .add(bias);                                                      // bias: (B, 1, 1, T, S)
        Tensor probs = dtype == DType.FP32 ? scores.softmax(-1)
                : scores.softmax(-1, new org.bytedeco.pytorch.ScalarTypeOptional(DType.FP32.scalarType())).to(dtype.scalarType());
        Tensor out = probs.view(b, nkv, g * t, s).matmul(v)                      // (B, nkv, g·T, d)
                .view(b, nh, t, d).transpose(1, 2).reshape(b, t, nh * d);
        return p.o().apply(out);
    }

    /**
     * {@code w · x / sqrt(mean(x²) + ε)}, normalised in fp32 and cast back before the weight (HF order): libtorch's
     * {@code rms_norm}, which computes exactly these steps in C++ (one call instead of six from Java).
     */
    private Tensor rmsNorm(Tensor x, Tensor weight) {
        return torch.rms_norm(x, new long[]{config.hiddenSize()}, new TensorOptional(weight),
                new DoubleOptional(config.rmsNormEps()));
    }
}
