package dev.mathtune.engine;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

/**
 * Process-wide libtorch set-up: loads the natives (working around the empty-cache crash, trap 1 of ENGINE.md),
 * sets the intra-op thread count and seeds torch's generator. Call {@link #init} before any tensor work.
 */
public final class Engine {
    private static volatile boolean loaded;
    private static int threads;

    private Engine() {
    }

    /** Loads libtorch once and sets the thread count ({@code threads <= 0}: all cores). */
    public static synchronized void init(int threads) {
        if (!loaded) {
            try {
                Loader.cacheResources("/org/bytedeco/pytorch/" + Loader.getPlatform() + "/");
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot unpack libtorch natives into the JavaCPP cache", e);
            }
            Loader.load(torch.class);
            loaded = true;
        }
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (n != Engine.threads) {
            torch.set_num_threads(n);
            Engine.threads = n;
        }
    }

    /** Loads libtorch with all cores, if not yet loaded. */
    public static void init() {
        if (!loaded) init(0);
    }

    public static int threads() {
        return threads;
    }

    /**
     * Sets libtorch's intra-op (OpenMP) thread count to {@code n} ({@code <= 0}: the engine's) until the returned
     * handle is closed, which restores {@link #threads()}. OpenBLAS keeps its own threads either way. The generator
     * uses it with 1 for forwards whose products are OpenBLAS's (one row, prefill): an OpenMP pool kept idle then
     * never competes with OpenBLAS's workers for the cores (docs/DESIGN.md, "Threads").
     */
    public static ThreadCount intraOpThreads(int n) {
        init();
        if (n <= 0 || n == threads) return () -> { };
        torch.set_num_threads(n);
        return () -> torch.set_num_threads(threads);
    }

    /** A temporary thread count; closing it restores the engine's. */
    public interface ThreadCount extends AutoCloseable {
        @Override
        void close();
    }

    /** Seeds torch's global generator (dropout, random init done by torch). */
    public static void seed(long seed) {
        init();
        torch.manual_seed(seed);
    }
}
