package dev.mathtune.train;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorArrayRefOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Autocast;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.model.AttentionMask;
import dev.mathtune.model.KvSource;
import dev.mathtune.model.Qwen2Model;

/**
 * Examples laid out for one forward pass: right-padded rows (or, with packing, several examples per row with
 * block-diagonal attention and positions restarting per example) and the next-token targets.
 * The loss is {@code Σ −log p(x_i | x_<i)} over target tokens; the caller divides by the step's target count.
 */
public final class MicroBatch {
    private final long[] ids, positions, valid, segments, targets;
    private final int rows, length;
    private final boolean packed;
    private final int targetCount;

    private MicroBatch(List<int[]> rowIds, List<boolean[]> rowTargets, List<int[]> rowSegments, long positionOffset) {
        this.rows = rowIds.size();
        int t = 0;
        for (int[] r : rowIds) t = Math.max(t, r.length);
        this.length = t;
        this.packed = rowSegments != null;
        ids = new long[rows * t];
        positions = new long[rows * t];
        valid = new long[rows * t];
        segments = new long[rows * t];
        targets = new long[rows * t];
        int count = 0;
        for (int r = 0; r < rows; r++) {
            int[] row = rowIds.get(r);
            int lastSeg = -1, start = 0;
            for (int j = 0; j < t; j++) {
                int k = r * t + j;
                boolean real = j < row.length;
                int seg = real ? (packed ? rowSegments.get(r)[j] : 0) : -1 - j;
                if (seg != lastSeg) start = j;
                lastSeg = seg;
                ids[k] = real ? row[j] : 0;
                valid[k] = real ? 1 : 0;
                segments[k] = seg;
                positions[k] = positionOffset + (packed ? j - start : j);
                // token j is a target if trained and it continues the same example as token j-1
                boolean isTarget = real && j > 0 && rowTargets.get(r)[j] && segments[k - 1] == seg;
                targets[k] = isTarget ? 1 : 0;
                if (isTarget) count++;
            }
        }
        this.targetCount = count;
    }

    /** Right-padded rows, one example each. */
    public static MicroBatch padded(List<SftExample> examples, long positionOffset) {
        List<int[]> ids = new ArrayList<>();
        List<boolean[]> t = new ArrayList<>();
        for (SftExample e : examples) {
            ids.add(e.ids());
            t.add(e.target());
        }
        return new MicroBatch(ids, t, null, positionOffset);
    }

    /** Examples packed greedily into rows of at most {@code maxLength} tokens, in order. */
    public static MicroBatch packed(List<SftExample> examples, int maxLength) {
        List<int[]> ids = new ArrayList<>();
        List<boolean[]> t = new ArrayList<>();
        List<int[]> segs = new ArrayList<>();
        List<SftExample> current = new ArrayList<>();
        int used = 0;
        for (SftExample e : examples) {
            if (!current.isEmpty() && used + e.ids().length > maxLength) {
                addPackedRow(current, ids, t, segs);
                current.clear();
                used = 0;
            }
            current.add(e);
            used += e.ids().length;
        }
        if (!current.isEmpty()) addPackedRow(current, ids, t, segs);
        return new MicroBatch(ids, t, segs, 0);
    }

    private static void addPackedRow(List<SftExample> row, List<int[]> ids, List<boolean[]> t, List<int[]> segs) {
        int n = row.stream().mapToInt(e -> e.ids().length).sum();
        int[] i = new int[n], s = new int[n];
        boolean[] tt = new boolean[n];
        int at = 0;
        for (int e = 0; e < row.size(); e++) {
            SftExample ex = row.get(e);
            System.arraycopy(ex.ids(), 0, i, at, ex.ids().length);
            System.arraycopy(ex.target(), 0, tt, at, ex.ids().length);
            java.util.Arrays.fill(s, at, at + ex.ids().length, e);
            at += ex.ids().length;
        }
        ids.add(i);
        t.add(tt);
        segs.add(s);
    }

    public int targetCount() {
        return targetCount;
    }

    public long tokens() {
        long n = 0;
        for (long v : valid) n += v;
        return n;
    }

    /**
     * Forward and backward of this micro-batch: the summed negative log-likelihood of its target tokens is computed,
     * and the gradient of {@code sum / divisor} accumulated into the trainable's parameters (the trainer passes the
     * step's target count). Products run under autocast to {@code compute} (bf16 or fp16; fp32 means none).
     *
     * <p>The decoder runs forward once, to the final norm. Only the positions whose next token is a target go on to
     * the lm_head (prompt tokens under response-only loss, padding and each row's last token have no logits to
     * compute), and those {@code N} rows go through lm_head and loss a chunk of rows at a time, each chunk
     * back-propagated before the next one is formed, into a detached copy of their hidden states: the vocabulary-wide
     * logits and log-probabilities exist for one chunk only, never {@code (B, T, V)} of them. A chunk's loss is
     * {@code −Σ log_softmax(z)[target]} over fp32 logits {@code z} (the products in the compute dtype, then cast).
     * Last, the decoder's backward runs once from the accumulated gradient of those hidden states. Autograd does all
     * the differentiation.
     *
     * @return the summed loss (not divided), a 0-d fp32 tensor without grad
     */
    public Tensor lossAndBackward(Trainable model, DType compute, double divisor) {
        return lossAndBackward(model, compute, divisor, compute == DType.FP32 ? HEAD_CHUNK_ROWS_FP32 : HEAD_CHUNK_ROWS);
    }

    /**
     * Rows of hidden states that go through lm_head and loss at a time in {@link #lossAndBackward} under autocast,
     * and in fp32. At the 0.5B head and 511 rows (docs/BENCHMARKS.md, eleventh session) bf16 was fastest in chunks
     * of 256 (0.94–0.99 s against 1.10–1.11 in one chunk and 1.21 unchunked), fp32 in one chunk of up to 512
     * (2.54–2.57 s against 2.69–2.77 in chunks of 256 and 2.62 unchunked: OpenBLAS lays the 545 MB weight out again
     * for every product, and each further chunk adds a pass over the weight's fp32 gradient).
     */
    static final int HEAD_CHUNK_ROWS = 256, HEAD_CHUNK_ROWS_FP32 = 512;

    Tensor lossAndBackward(Trainable model, DType compute, double divisor, int chunkRows) {
        Qwen2Model m = model.model();
        Tensor hidden;
        try (Autocast a = Autocast.of(compute)) {
            hidden = hidden(model);                                                  // (B, T, H)
        }
        long h = hidden.size(2);
        long[] rowsOf = new long[targetCount], next = new long[targetCount];
        for (int k = 0, i = 0; k < targets.length; k++) {
            if (targets[k] == 0) continue;
            rowsOf[i] = k - 1;                 // token k is predicted from the position before it (same row: j > 0)
            next[i++] = ids[k];
        }
        Tensor selected = Tensors.embedding(hidden.reshape(-1, h), vector(rowsOf)); // (N, H)
        Tensor leaf = selected.detach().requires_grad_(true);
        Tensor total = headLoss(m, leaf, vector(next), compute, divisor, chunkRows);
        selected.backward(leaf.grad(), new BoolOptional(), false, new TensorArrayRefOptional());
        return total;
    }

    /** {@code (n)} int64, also for n = 0 (an empty view: JavaCPP gives no pointer to an empty array). */
    private static Tensor vector(long[] v) {
        return Tensors.longs(v.length == 0 ? new long[1] : v, Math.max(1, v.length)).narrow(0, 0, v.length);
    }

    /**
     * {@code Σ −log p(next | x)} over the rows of {@code x (N, H)} (a leaf), each chunk of {@code chunkRows} rows
     * formed and back-propagated (scaled by {@code 1/divisor}) before the next; x's gradient and the lm_head
     * weight's accumulate over the chunks. With no rows, one empty chunk still gives every parameter its (zero)
     * gradient, as the sum over a micro-batch without targets always did.
     */
    static Tensor headLoss(Qwen2Model m, Tensor x, Tensor next, DType compute, double divisor, int chunkRows) {
        long n = x.size(0);
        int chunks = (int) Math.max(1, (n + chunkRows - 1) / chunkRows);
        Tensor sums = Tensors.zeros(DType.FP32, chunks);
        Scalar scale = new Scalar(1.0 / divisor);
        for (int c = 0; c < chunks; c++) {
            long from = (long) c * chunkRows, rows = Math.min(chunkRows, n - from);
            try (Scope s = Scope.open()) {
                Tensor logits;
                try (Autocast a = Autocast.of(compute)) {
                    logits = m.logits(x.narrow(0, from, rows));                     // (c, V) in the compute dtype
                }
                Tensor logp = torch.log_softmax(logits.to(torch.ScalarType.Float), -1);  // (c, V) fp32
                Tensor nll = logp.gather(-1, next.narrow(0, from, rows).unsqueeze(-1)).sum().neg();
                nll.mul(scale).backward();
                sums.select(0, c).copy_(nll.detach());
            }
        }
        return sums.sum();
    }

    /** Token ids {@code (B, T)} (int64). */
    Tensor idsTensor() {
        return Tensors.longs(ids, rows, length);
    }

    /** {@code (B, T)} int64: 1 where the token is a target (predicted from the position before it), else 0. */
    Tensor targetsTensor() {
        return Tensors.longs(targets, rows, length);
    }

    /** Hidden states after the final norm, {@code (B, T, H)}, for this micro-batch's tokens. */
    Tensor hidden(Trainable model) {
        var m = model.model();
        Tensor idT = idsTensor();
        Tensor posT = Tensors.longs(positions, rows, length);
        long p = model.prefixLength();
        KvSource prefix = model.trainingPrefix(rows);
        Tensor bias;
        if (packed) {
            bias = AttentionMask.packed(Tensors.longs(segments, rows, length), m.dtype());
        } else {
            Tensor keyValid = Tensors.longs(valid, rows, length);
            if (p > 0) {
                keyValid = torch.cat(new TensorVector(Tensors.onesLong(rows, p), keyValid), 1);
            }
            bias = AttentionMask.causal(keyValid, p, length, m.dtype());
        }
        return m.forward(idT, posT, bias, prefix);
    }
}
