package dev.mathtune.generate;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.model.AttentionMask;
import dev.mathtune.model.Batch;
import dev.mathtune.model.KvSource;
import dev.mathtune.model.Qwen2Model;

/**
 * Log-probability of every token given its prefix, {@code log p(x_i | x_<i)} from one forward pass;
 * position 0 (and padding) has none.
 */
public final class TokenScorer {
    private final Qwen2Model model;

    public TokenScorer(Qwen2Model model) {
        this.model = model;
    }

    /** Per row, {@code [null, lp_1, …, lp_{n-1}]} as boxed doubles (null where undefined). */
    public Double[][] score(int[][] rows) {
        return score(rows, null, 0);
    }

    /**
     * Scores left-padded rows; {@code past} (e.g. a prefix) supplies {@code pastLength} earlier key columns that
     * every row may attend to, and shifts positions by that much.
     */
    public Double[][] score(int[][] rows, KvSource past, long pastLength) {
        try (Scope s = Scope.open(); var ng = new org.bytedeco.pytorch.NoGradGuard()) {
            Batch batch = Batch.leftPadded(rows, 0, pastLength);
            Tensor keyValid = pastLength == 0 ? batch.valid()
                    : torch.cat(new org.bytedeco.pytorch.TensorVector(
                    Tensors.onesLong(batch.rows(), pastLength), batch.valid()), 1);
            Tensor bias = AttentionMask.causal(keyValid, pastLength, batch.length(), model.dtype());
            Tensor hidden = model.forward(batch.ids(), batch.positions(), bias, past);
            Tensor logp = torch.log_softmax(model.logits(hidden).to(org.bytedeco.pytorch.global.torch.ScalarType.Float), -1);
            // log p of token i is read from position i-1
            Tensor next = batch.ids().narrow(1, 1, batch.length() - 1).unsqueeze(-1);
            Tensor picked = logp.narrow(1, 0, batch.length() - 1).gather(-1, next).squeeze(-1); // (B, T-1)
            float[] lp = Tensors.toFloats(picked);
            int t = (int) batch.length();
            Double[][] out = new Double[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                int pad = t - rows[r].length;
                out[r] = new Double[rows[r].length];
                for (int i = 1; i < rows[r].length; i++) out[r][i] = (double) lp[r * (t - 1) + pad + i - 1];
            }
            return out;
        }
    }
}
