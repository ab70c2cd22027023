package dev.mathtune.train;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.Tensor;

import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Tensors;
import dev.mathtune.model.AttentionMask;
import dev.mathtune.model.KvSource;

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

    /** Summed negative log-likelihood of the target tokens (a scalar with grad). */
    public Tensor lossSum(Trainable model) {
        var m = model.model();
        Tensor idT = Tensors.longs(ids, rows, length);
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
        Tensor hidden = m.forward(idT, posT, bias, prefix);                             // (B, T, H)
        Tensor logits = m.logits(hidden.narrow(1, 0, length - 1)).to(torch.ScalarType.Float); // (B, T-1, V)
        Tensor logp = torch.log_softmax(logits, -1);
        Tensor next = idT.narrow(1, 1, length - 1).unsqueeze(-1);
        Tensor picked = logp.gather(-1, next).squeeze(-1);                             // (B, T-1)
        Tensor mask = Tensors.longs(targets, rows, length).narrow(1, 1, length - 1).to(torch.ScalarType.Float);
        return picked.mul(mask).sum().neg();
    }
}
