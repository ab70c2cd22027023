package dev.mathtune.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import dev.mathtune.io.FileTrees;
import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Scope;
import dev.mathtune.engine.Tensors;
import dev.mathtune.io.AtomicFiles;
import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;

/**
 * A resumable training state in {@code OUT/checkpoint}: trainable tensors (fp32 safetensors), the optimizer's
 * moments ({@code optimizer.pt}) and {@code state.json} (next step, elapsed seconds). The data order and dropout
 * are functions of (seed, step), so these suffice for an exact resume. Written to {@code checkpoint.tmp} and
 * renamed into place; a crash leaves either the old or the new checkpoint whole.
 */
public final class TrainCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What resuming needs besides the tensors. */
    public record State(int nextStep, double elapsedSeconds, long tokensSeen) {
    }

    private TrainCheckpoint() {
    }

    public static Path dir(Path out) {
        return out.resolve("checkpoint");
    }

    public static void save(Path out, Trainable model, AdamWOptimizer opt, State state) throws IOException {
        Path tmp = out.resolve("checkpoint.tmp"), old = out.resolve("checkpoint.old"), dst = dir(out);
        FileTrees.delete(tmp);
        Files.createDirectories(tmp);
        Map<String, SafetensorsEntry> tensors = new LinkedHashMap<>();
        try (Scope s = Scope.open()) {
            for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
                Tensor t = e.getValue().detach().to(DType.FP32.scalarType());
                tensors.put(e.getKey(), new SafetensorsEntry(e.getKey(), "F32", Tensors.shape(t), Tensors.toBytes(t)));
            }
        }
        Safetensors.write(tmp.resolve("trainable.safetensors"), tensors, Map.of());
        opt.save(tmp.resolve("optimizer.pt"));
        AtomicFiles.writeString(tmp.resolve("state.json"), JSON.writeValueAsString(state));
        FileTrees.delete(old);
        if (Files.exists(dst)) Files.move(dst, old);
        Files.move(tmp, dst);
        FileTrees.delete(old);
    }

    /** The state of the checkpoint in {@code out}, or null when there is none. */
    public static State find(Path out) throws IOException {
        Path d = dir(out);
        if (!Files.isRegularFile(d.resolve("state.json"))) {
            Path old = out.resolve("checkpoint.old");
            if (Files.isRegularFile(old.resolve("state.json"))) Files.move(old, d);
            else return null;
        }
        return JSON.readValue(d.resolve("state.json").toFile(), State.class);
    }

    /** Loads tensors and optimizer state from the checkpoint in {@code out}. */
    public static void restore(Path out, Trainable model, AdamWOptimizer opt) {
        Path d = dir(out);
        Map<String, SafetensorsEntry> saved = Safetensors.read(d.resolve("trainable.safetensors"));
        try (Scope s = Scope.open(); NoGradGuard ng = new NoGradGuard()) {
            for (Map.Entry<String, Tensor> e : model.parameters().entrySet()) {
                SafetensorsEntry st = saved.get(e.getKey());
                if (st == null) throw UserError.inFile(d.resolve("trainable.safetensors"), "tensor '" + e.getKey() + "' is missing");
                Tensor t = e.getValue();
                t.copy_(Tensors.fromBytes(st.data(), DType.FP32, st.shape(), Tensors.dtype(t)));
            }
        }
        opt.load(d.resolve("optimizer.pt"));
    }
}
