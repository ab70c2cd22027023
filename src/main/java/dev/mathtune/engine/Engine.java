package dev.mathtune.engine;

import java.util.Locale;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch;

import dev.mathtune.UserError;

/**
 * Process-wide libtorch set-up: loads the natives (working around the empty-cache crash, trap 1 of ENGINE.md),
 * sets the intra-op thread count, picks the device and seeds torch's generators. Call {@link #init} before any
 * tensor work.
 *
 * <p>The device ({@link #useDevice}: {@code cpu}, {@code cuda}, {@code cuda:N}, {@code auto}, or {@code meta} for
 * placement checks) is where every tensor factory without a tensor input puts its result ({@link Tensors}); an
 * operation on tensors follows its inputs. Nothing outside this package names a device.
 */
public final class Engine {
    /** Resource folders of the natives: the CPU build's and the CUDA build's ({@code pytorch:…:linux-x86_64-gpu}). */
    private static final String[] NATIVE_EXTENSIONS = {"", "-gpu"};
    private static volatile boolean loaded;
    private static volatile boolean cudaBuild;
    private static int threads;
    private static volatile Device device;
    private static volatile String deviceName = "cpu";

    private Engine() {
    }

    /** Loads libtorch once and sets the thread count ({@code threads <= 0}: all cores). */
    public static synchronized void init(int threads) {
        if (!loaded) {
            try {
                for (String extension : NATIVE_EXTENSIONS) {
                    String folder = "/org/bytedeco/pytorch/" + Loader.getPlatform() + extension + "/";
                    // only the build on the classpath has its folder (the CPU jar or the -gpu jar)
                    if (Engine.class.getResource(folder) == null) continue;
                    Loader.cacheResources(folder);
                    if (!extension.isEmpty()) cudaBuild = true;
                }
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
        // a CPU fast path only: on a GPU the OpenMP pool has no products to run
        if (n <= 0 || n == threads || !onCpu()) return () -> { };
        torch.set_num_threads(n);
        return () -> torch.set_num_threads(threads);
    }

    /** A temporary thread count; closing it restores the engine's. */
    public interface ThreadCount extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Seeds torch's generators (dropout, random init done by torch): the CPU one, where random weights are drawn
     * before they move to the device, and on a CUDA build with a device every CUDA generator too.
     */
    public static void seed(long seed) {
        init();
        torch.manual_seed(seed);
        if (onCuda()) torch.cuda_manual_seed_all(seed);
    }

    /**
     * Makes {@code spec} the device of every new tensor: {@code cpu}, {@code cuda} (device 0), {@code cuda:N},
     * {@code auto} (CUDA when libtorch was built with it and sees a device, else the CPU) or {@code meta} (shapes
     * and dtypes only, no data: placement tests). A CUDA device this build or machine cannot give is a
     * {@link UserError} saying which, and how to get the other.
     */
    public static synchronized void useDevice(String spec) {
        init();
        String s = spec == null ? "auto" : spec.strip().toLowerCase(Locale.ROOT);
        if (s.equals("auto")) s = cudaDevices() > 0 ? "cuda:0" : "cpu";
        if (s.equals("cuda")) s = "cuda:0";
        if (s.startsWith("cuda:")) {
            int index = parseIndex(spec, s.substring(5));
            if (!cudaBuild) {
                throw new UserError("--device " + spec + ": this is a CPU build of mathtune (libtorch without CUDA); "
                        + "build and run the CUDA one with MATHTUNE_CUDA=1 ./mathtune ... (README, \"CUDA\"), or use --device cpu");
            }
            if (!torch.hasCUDA()) {
                throw new UserError("--device " + spec + ": this CUDA build's libtorch could not load its CUDA part: "
                        + "install CUDA 13.1, cuDNN 9.19 and an NVIDIA driver for CUDA 13 (README, \"CUDA\"), or use "
                        + "--device cpu (MATHTUNE_CUDA=0 for the CPU build)");
            }
            int count = cudaDevices();
            if (count == 0) {
                throw new UserError("--device " + spec + ": no CUDA device is visible to this CUDA build (check "
                        + "nvidia-smi, the driver and CUDA_VISIBLE_DEVICES), or use --device cpu");
            }
            if (index >= count) {
                throw new UserError("--device " + spec + ": this machine has " + count + " CUDA device(s), cuda:0"
                        + (count > 1 ? " to cuda:" + (count - 1) : ""));
            }
        } else if (!s.equals("cpu") && !s.equals("meta")) {
            throw new UserError("--device " + spec + ": expected cpu, cuda, cuda:N, auto or meta");
        }
        Device d = new Device(s);
        d.retainReference();
        device = d;
        deviceName = s;
    }

    private static int parseIndex(String spec, String digits) {
        try {
            int i = Integer.parseInt(digits);
            if (i >= 0) return i;
        } catch (NumberFormatException ignored) {
            // below
        }
        throw new UserError("--device " + spec + ": expected cuda:N with N a device index (0, 1, ...)");
    }

    /** CUDA devices this build sees (0 on a CPU build). */
    public static int cudaDevices() {
        init();
        return torch.hasCUDA() && torch.cuda_is_available() ? torch.cuda_device_count() : 0;
    }

    /** The device new tensors go to ({@code cpu} until {@link #useDevice} says otherwise). */
    static Device device() {
        init();
        Device d = device;
        if (d == null) {
            synchronized (Engine.class) {
                if (device == null) {
                    Device cpu = new Device("cpu");
                    cpu.retainReference();
                    device = cpu;
                }
                d = device;
            }
        }
        return d;
    }

    /** The device's name as the user writes it: {@code cpu}, {@code cuda:0}, {@code meta}. */
    public static String deviceName() {
        return deviceName;
    }

    /** Whether new tensors go to the CPU (where the CPU fast paths apply). */
    public static boolean onCpu() {
        return deviceName.equals("cpu");
    }

    /** Whether new tensors go to a CUDA device. */
    public static boolean onCuda() {
        return deviceName.startsWith("cuda");
    }

    /**
     * The most bytes the CUDA caching allocator has handed out on the engine's device so far (PyTorch's
     * {@code torch.cuda.max_memory_allocated}); -1 off CUDA. Host RSS is reported beside it by the benchmarks.
     */
    public static long cudaPeakAllocatedBytes() {
        if (!onCuda()) return -1;
        // torch_cuda loads the CUDA build's natives: reached on a CUDA device only
        return org.bytedeco.pytorch.global.torch_cuda.getAllocator().getDeviceStats(device().index())
                .allocated_bytes().peak();
    }

    /** Waits for every queued CUDA kernel (a benchmark reads its clock after this); nothing on the CPU. */
    public static void synchronize() {
        if (onCuda()) torch.cuda_synchronize();
    }
}
