package dev.mathtune.model;

import org.bytedeco.pytorch.IValue;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Operators;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;

/**
 * {@code y = x·Wᵀ (+ b)} where a band of fp32 inference row counts (batched decoding) goes through oneDNN on a copy
 * of the weight reordered once into its blocked layout. OpenBLAS's sgemm repacks the whole weight on every call, so
 * at 8–64 rows it runs well below the rate at which the weights stream from memory; oneDNN on the reordered copy
 * does not repack (docs/BENCHMARKS.md, Generation, third and fourth sessions: 2.04 → 1.44 ms for a 4864×896
 * matrix at 16 rows, 69 → 42 ms for the 151936×896 lm_head). The copy costs the weight's size again in memory and
 * is made at the first call in the band, so batch-1 decoding, prefill, training and scoring never pay for it; it is
 * remade when the weight changes in place (its version counter moves: an optimizer step, a load). Other calls are a
 * {@link DenseLinear}. Results equal OpenBLAS's to rounding (summation order).
 *
 * <p>Every product of a decoding step in the band goes here, the lm_head's included, and not only those that are
 * faster alone: oneDNN runs on libtorch's OpenMP threads and OpenBLAS on its own, whose idle workers spin for
 * about 0.1 s after each call. One OpenBLAS product per step keeps a core busy spinning while oneDNN works (batch 16
 * fell from 58 to 47 tok/s when only the MLP was packed; batch 64 from 115–120 to 99–100 when only the lm_head at 64
 * rows was left to OpenBLAS). Making the workers sleep at once ({@code OPENBLAS_THREAD_TIMEOUT=4}) avoided that but
 * cost batch-1 decoding a fifth of its speed (each matrix-vector product then waits for a worker to wake) and small
 * models' training a quarter: docs/BENCHMARKS.md, Generation, fifth session. The same holds for libtorch's OpenMP
 * workers, which spin between regions in the decoding commands: the generator runs forwards outside the band with one
 * OpenMP thread ({@code Qwen2Model.productsOnOpenMp}, docs/DESIGN.md "Threads").
 *
 * <p>One to {@link #SMALL_MAX_ROWS} fp32 inference rows (batch-1 decoding and the smallest batches) go through
 * XNNPACK's fully-connected operator, on a copy of the weight (and bias) it packs once, when the model's small-row
 * packing is on ({@link Qwen2Model#packSmallRows}, which the generator turns on at its first run of at most that
 * many sequences, so a batched evaluation never pays for a third copy). OpenBLAS's sgemv streams the weights at about
 * half the rate the machine reads memory, XNNPACK's kernels at about three quarters (docs/BENCHMARKS.md, Generation,
 * eighth session: 70–84 against 46–51 ms for one token's products at the 0.5B shape). XNNPACK runs on libtorch's
 * pthreadpool, neither OpenMP's nor OpenBLAS's threads. The copy is remade when the weight or bias changes in place.
 */
final class PackedLinear implements Projection {
    /** The lm_head's band: from 2 rows (faster alone from 2 to 32, and kept off OpenBLAS up to the layers' 64). */
    static final int HEAD_MIN_ROWS = 2, HEAD_MAX_ROWS = 64;
    /**
     * The decoder layers' band: below 8 rows oneDNN's small-M kernels are slower than OpenBLAS (batch 4 decoded at
     * 6.3–6.4 tok/s through oneDNN against 12.0–12.9 through OpenBLAS); tested to 64.
     */
    static final int LAYER_MIN_ROWS = 8, LAYER_MAX_ROWS = 64;
    /**
     * XNNPACK's rows: 1 to 4 (one token's products at the 0.5B shape: 69–77 ms at 2 and 4 rows against 235–248
     * through OpenBLAS's sgemm and 98–116 through oneDNN; at 7 and 8 rows XNNPACK is the slowest of the three).
     */
    static final int SMALL_MAX_ROWS = 4;
    /**
     * bf16 inference rows served from the reordered weight: 1 to 64, every decoding batch. libtorch's bf16
     * {@code linear} lays the weight out for oneDNN on every call; from the copy reordered once, one token's products
     * at the 0.5B shapes ran 1.2–3.3× faster at 1 and 16 rows (AMD EPYC family 26, AVX512_BF16; docs/BENCHMARKS.md,
     * tenth session).
     */
    static final int BF16_MAX_ROWS = 64;
    /**
     * The most oneDNN's product may differ from the plain one, relative to the largest plain value, before it is
     * taken for wrong: fp32 sums in another order differ by ~1e-6 relative; the wrong results seen are off by
     * factors (below).
     */
    static final double ONEDNN_CHECK_TOLERANCE = 1e-3;
    /**
     * The same for bf16 products: both are rounded to bf16 (8 significant bits), so one rounding step of the largest
     * value (2⁻⁸ relative) may separate them; the wrong results seen are off by factors.
     */
    static final double ONEDNN_CHECK_TOLERANCE_BF16 = 1e-2;
    private static final java.util.concurrent.atomic.AtomicBoolean WARNED = new java.util.concurrent.atomic.AtomicBoolean();
    private static IValue noScalars;
    private final DenseLinear dense;
    private final int minRows, maxRows;
    private Tensor reordered;
    private long reorderedVersion = -1;
    private boolean unavailable;
    /** Row counts whose oneDNN product was checked against the plain one (bit r: r rows). */
    private final java.util.BitSet checkedRows = new java.util.BitSet(Math.max(LAYER_MAX_ROWS, BF16_MAX_ROWS) + 1);
    private volatile boolean smallRows;
    private IValue packed;
    private long packedVersion = -1;
    private boolean xnnpackUnavailable;

    PackedLinear(Tensor weight, Tensor bias, int minRows, int maxRows) {
        this.dense = new DenseLinear(weight, bias);
        this.minRows = minRows;
        this.maxRows = maxRows;
    }

    static PackedLinear lmHead(Tensor weight) {
        return new PackedLinear(weight, null, HEAD_MIN_ROWS, HEAD_MAX_ROWS);
    }

    /** One of a decoder layer's seven projections, {@code bias} null for o and the MLP's. */
    static PackedLinear layer(Tensor weight, Tensor bias) {
        return new PackedLinear(weight, bias, LAYER_MIN_ROWS, LAYER_MAX_ROWS);
    }

    /** Whether {@code rows} fp32 inference rows are in the decoder layers' oneDNN band. */
    static boolean inLayerBand(long rows) {
        return rows >= LAYER_MIN_ROWS && rows <= LAYER_MAX_ROWS;
    }

    @Override
    public Tensor weight() {
        return dense.weight();
    }

    @Override
    public Tensor apply(Tensor x) {
        if (usesXnnpack(x)) {
            IValue context = packIfStale();
            if (context != null) {
                long[] shape = x.sizes().vec().get();
                shape[shape.length - 1] = weight().size(0);
                IValue out = Operators.call("prepacked::linear_clamp_run",
                        new IValue(x.reshape(-1, x.size(-1)).contiguous()), context).get(0);
                return new Tensor(out.toTensor()).view(shape);
            }
        }
        if (!usesOneDnn(x) || !reorderIfStale()) return dense.apply(x);
        // oneDNN's inner product on dense input and output (what torch.compile emits for packed CPU linears): no
        // conversion of the input to, or the output from, oneDNN's own tensor layout around each product
        IValue out = Operators.call("mkldnn::_linear_pointwise", new IValue(x.contiguous()), new IValue(reordered),
                dense.bias() == null ? new IValue() : new IValue(dense.bias()), new IValue("none"), noScalars(),
                new IValue("")).get(0);
        Tensor y = new Tensor(out.toTensor());
        int rows = (int) (x.numel() / x.size(-1));
        return checkedRows.get(rows) ? y : checked(x, y, rows);
    }

    /**
     * oneDNN's product for a row count, checked once against the plain product before it is trusted: on an AMD EPYC
     * of family 26 (KVM, ninth session) oneDNN's AVX-512 fp32 kernels on reordered weights returned wrong values
     * for some shapes (e.g. 6 rows of a 64-wide lm_head: 5.36 where the product is 2.75; correct with
     * {@code ONEDNN_MAX_CPU_ISA=AVX2}), and a fast path must never change an answer. A mismatch turns oneDNN off
     * for this projection (OpenBLAS serves it from then on) and says so once per process.
     */
    private synchronized Tensor checked(Tensor x, Tensor fast, int rows) {
        Tensor plain = dense.apply(x);
        boolean bf16 = plain.scalar_type().value == torch.ScalarType.BFloat16.value;
        double error = fast.sub(plain).abs().max().item_double();
        double scale = plain.abs().max().item_double();
        double tolerance = bf16 ? ONEDNN_CHECK_TOLERANCE_BF16 : ONEDNN_CHECK_TOLERANCE;
        if (error <= tolerance * Math.max(scale, 1e-30)) {
            checkedRows.set(rows);
            return fast;
        }
        unavailable = true;
        if (!WARNED.getAndSet(true)) {
            System.err.printf("mathtune: oneDNN's %s product on a reordered %dx%d weight is wrong on this CPU at %d"
                    + " rows (max |difference| %.3g, largest value %.3g); the plain product serves such products instead"
                    + " (ONEDNN_MAX_CPU_ISA=AVX2 may make oneDNN right)%n", bf16 ? "bf16" : "fp32", weight().size(0),
                    weight().size(1), rows, error, scale);
        }
        return plain;
    }

    /** {@code _linear_pointwise}'s empty {@code Scalar?[]} (post-op parameters), made once and kept. */
    private static synchronized IValue noScalars() {
        if (noScalars == null) {
            noScalars = Operators.emptyList("mkldnn::_linear_pointwise", 4);
            noScalars.retainReference();
        }
        return noScalars;
    }

    /**
     * Whether {@code x} goes through oneDNN: a row count in the fp32 band, or 1–{@value #BF16_MAX_ROWS} bf16 rows, on
     * the CPU, with no autograd.
     */
    boolean usesOneDnn(Tensor x) {
        return !unavailable && inOneDnnBand(x);
    }

    /** Whether {@code x} is of the band oneDNN serves (whether or not oneDNN proved right on this CPU). */
    boolean inOneDnnBand(Tensor x) {
        return inferenceRows(x, minRows, maxRows, torch.ScalarType.Float)
                || inferenceRows(x, 1, BF16_MAX_ROWS, torch.ScalarType.BFloat16);
    }

    /** Whether {@code x} has {@code min}–{@code max} rows, and it and the weight are {@code type} on the CPU with no autograd. */
    private boolean inferenceRows(Tensor x, long min, long max, torch.ScalarType type) {
        long rows = x.numel() / x.size(-1);
        Tensor w = weight();
        return rows >= min && rows <= max && x.is_cpu()
                && x.scalar_type().value == type.value && w.scalar_type().value == type.value
                && !x.requires_grad() && !w.requires_grad();
    }

    /** Turns XNNPACK's small-row path on or off; off frees its packed copy. */
    synchronized void smallRows(boolean on) {
        smallRows = on;
        if (!on && packed != null) {
            packed.releaseReference();
            packed = null;
            packedVersion = -1;
        }
    }

    /** Whether {@code x} goes through XNNPACK: small-row packing on, 1–4 rows, fp32 on the CPU, no autograd. */
    boolean usesXnnpack(Tensor x) {
        return smallRows && !xnnpackUnavailable && inferenceRows(x, 1, SMALL_MAX_ROWS, torch.ScalarType.Float);
    }

    /** Whether {@link #smallRows} is on. */
    boolean smallRows() {
        return smallRows;
    }

    /** XNNPACK's context, packed again if the weight or bias changed since; null when this libtorch has no XNNPACK. */
    private synchronized IValue packIfStale() {
        long version = weight()._version() + (dense.bias() == null ? 0 : dense.bias()._version());
        if (packed != null && packedVersion == version) return packed;
        try {
            IValue out = Operators.call("prepacked::linear_clamp_prepack", new IValue(weight()),
                    dense.bias() == null ? new IValue() : new IValue(dense.bias()), new IValue(), new IValue()).get(0);
            // the context lives in the stack, which the enclosing scope frees: take our own reference
            IValue fresh = new IValue(out);
            fresh.retainReference();
            if (packed != null) packed.releaseReference();
            packed = fresh;
            packedVersion = version;
            return packed;
        } catch (RuntimeException e) {
            xnnpackUnavailable = true;
            return null;
        }
    }

    /** Reorders the weight if it has none or the weight changed since; false when this libtorch has no oneDNN. */
    private synchronized boolean reorderIfStale() {
        long version = weight()._version();
        if (reordered != null && reorderedVersion == version) return true;
        try {
            IValue out = Operators.call("mkldnn::_reorder_linear_weight", new IValue(weight()), new IValue(16L)).get(0);
            // toTensor() points into the stack, which the enclosing scope frees: take our own reference
            Tensor fresh = Scope.keep(new Tensor(out.toTensor()));
            if (reordered != null) Tensors.release(reordered);
            reordered = fresh;
            reorderedVersion = version;
            return true;
        } catch (RuntimeException e) {
            unavailable = true; // OpenBLAS serves every batch
            return false;
        }
    }
}
