package dev.mathtune.engine;

import org.bytedeco.pytorch.global.torch;

/**
 * Mixed precision for training: inside the block, libtorch's autocast for the engine's device (CPU or CUDA) runs
 * matrix products in bf16 (weights are cast from their fp32 master copies, gradients flow back to them in fp32)
 * while softmax, log-softmax and reductions stay in fp32. Closing the block turns autocast off and drops its cache of cast weights (ENGINE.md
 * trap 5: a stale cache silently stops training). Autocast state is per thread; for fp32 the block does nothing.
 *
 * <pre>
 *   try (Autocast a = Autocast.of(DType.BF16)) { loss = forward(...); }
 *   loss.backward();
 * </pre>
 */
public final class Autocast implements AutoCloseable {
    private static final Autocast OFF = new Autocast(null);
    private final torch.DeviceType type;

    private Autocast(torch.DeviceType type) {
        this.type = type;
    }

    /** Autocast to {@code compute} (bf16 or fp16); any other dtype means full precision (no autocast). */
    public static Autocast of(DType compute) {
        if (compute != DType.BF16 && compute != DType.FP16) return OFF;
        torch.DeviceType type = Engine.onCuda() ? torch.DeviceType.CUDA : torch.DeviceType.CPU;
        torch.set_autocast_dtype(type, compute.scalarType());
        torch.set_autocast_enabled(type, true);
        return new Autocast(type);
    }

    @Override
    public void close() {
        if (type != null) {
            torch.set_autocast_enabled(type, false);
            torch.clear_cache();
        }
    }
}
