package dev.mathtune.peft;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mathtune.engine.DType;
import dev.mathtune.generate.TokenScorer;
import dev.mathtune.model.AttentionMask;
import dev.mathtune.model.Batch;
import dev.mathtune.model.KvSource;
import dev.mathtune.model.ModelLoader;
import dev.mathtune.model.Qwen2Model;
import dev.mathtune.testing.Golden;

/** Shared helpers of the peft tests. */
final class PeftTesting {
    /** Two rows of different lengths (the shorter one is left-padded). */
    static final int[][] ROWS = {{5, 17, 99, 3, 250, 41, 7, 300, 12, 88}, {64, 2, 9, 400, 33, 71}};

    private PeftTesting() {
    }

    static Qwen2Model load(String name) {
        return ModelLoader.load(Golden.dir(name), DType.FP32);
    }

    static Double[][] score(Qwen2Model model, KvSource past, long pastLength) {
        return new TokenScorer(model).score(ROWS, past, pastLength);
    }

    static double maxAbsDiff(Double[][] a, Double[][] b) {
        double m = 0;
        for (int r = 0; r < a.length; r++) {
            for (int i = 1; i < a[r].length; i++) m = Math.max(m, Math.abs(a[r][i] - b[r][i]));
        }
        return m;
    }

    static void assertBitIdentical(Double[][] want, Double[][] got) {
        for (int r = 0; r < want.length; r++) {
            if (!Arrays.equals(want[r], got[r])) {
                throw new AssertionError("row " + r + " differs: " + Arrays.toString(want[r]) + " vs " + Arrays.toString(got[r])
                        + " (max |Δ| " + maxAbsDiff(want, got) + ")");
            }
        }
    }

    /**
     * Mean next-token negative log-likelihood of {@link #ROWS} (padding excluded), with grad, attending to
     * {@code past} of {@code pastLength} columns first.
     */
    static Tensor loss(Qwen2Model model, KvSource past, long pastLength) {
        Batch batch = Batch.leftPadded(ROWS, 0, pastLength);
        Tensor keyValid = pastLength == 0 ? batch.valid() : torch.cat(new TensorVector(
                torch.ones(new long[]{batch.rows(), pastLength}, new TensorOptions(torch.ScalarType.Long)), batch.valid()), 1);
        Tensor bias = AttentionMask.causal(keyValid, pastLength, batch.length(), model.dtype());
        Tensor logp = torch.log_softmax(model.logits(model.forward(batch.ids(), batch.positions(), bias, past)), -1);
        long t = batch.length();
        Tensor next = batch.ids().narrow(1, 1, t - 1).unsqueeze(-1);
        Tensor picked = logp.narrow(1, 0, t - 1).gather(-1, next).squeeze(-1);           // (B, T-1)
        Tensor mask = batch.valid().narrow(1, 0, t - 1).to(torch.ScalarType.Float);      // target and source real
        return picked.mul(mask).sum().neg().div(mask.sum());
    }

    /** Sum of |x| of a tensor (0 for an undefined one). */
    static double absSum(Tensor t) {
        return t.defined() ? t.abs().sum().item_double() : 0;
    }

    /** One SGD step {@code p -= lr · grad} on every tensor, then clears the gradients. */
    static void sgd(Iterable<Tensor> params, double lr) {
        try (var ng = new org.bytedeco.pytorch.NoGradGuard()) {
            for (Tensor p : params) {
                p.sub_(p.grad().mul(new Scalar(lr)));
                p.mutable_grad().zero_();
            }
        }
    }

    /** The JSON header of a safetensors file. */
    static JsonNode safetensorsHeader(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            return new ObjectMapper().readTree(new String(all, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
