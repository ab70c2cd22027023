package dev.mathtune.model;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Engine;
import dev.mathtune.io.AtomicFiles;

/**
 * {@code --dtype auto|fp32|bf16}: a forced dtype as given; {@code auto} picks bf16 only where this machine runs the
 * model's products faster in it ({@link DTypeProbe}: the step's products at the model's own shapes, for the
 * workload and row count at hand; for training by at least {@value #MARGIN_PERCENT} %), and fp32 otherwise, so that a machine
 * where bf16 loses keeps exactly the fp32 path. The measurement is cached in {@code ~/.cache/mathtune/dtype.json}
 * (or {@code $MATHTUNE_CACHE/dtype.json}), keyed by the CPU's model name and flags, libtorch's version, the thread
 * count, OpenMP's wait policy (the decoding commands' spinning workers change bf16's small-row steps), the device,
 * the workload, the rows and the shapes, so it is taken once per machine and model shape. The
 * choice and its reason are printed in one line. {@code $MATHTUNE_DTYPE} changes the default (the test suite pins
 * fp32 with it, so that its golden comparisons do not depend on the machine).
 */
public final class AutoDType {
    /**
     * For training, bf16 autocast must beat fp32's product time by this much: the step's other work (casting the fp32
     * master weights, the fp32 loss) is extra work that only bf16 does. Inference has no margin: a bf16 model's step
     * does nothing an fp32 one does not (its weights are stored in bf16, its activations and KV cache are half the
     * bytes), and at one row, where the products of the 0.5B shape came within 5 % (46.6 ms bf16, 48.9 fp32), whole
     * bf16 decoding steps were 12–27 % faster (docs/BENCHMARKS.md, tenth and eleventh sessions).
     */
    static final int MARGIN_PERCENT = 5;
    /** Changes when the probe measures differently, so that an older measurement in a cache is not taken for one. */
    static final int PROBE_VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The chosen dtype, why in words, and the measurement behind it. */
    public record Choice(DType dtype, String reason, DTypeProbe.Timing timing) {
    }

    private AutoDType() {
    }

    /** The environment variable that sets the default of {@code --dtype} (and of recipes' dtype keys). */
    public static final String DEFAULT_ENV = "MATHTUNE_DTYPE";

    /** {@code $MATHTUNE_DTYPE} if set, else {@code auto}. */
    public static String defaultName() {
        String env = System.getenv(DEFAULT_ENV);
        return env == null || env.isBlank() ? "auto" : env.trim();
    }

    /** Whether {@code name} asks for a measured choice. */
    public static boolean isAuto(String name) {
        return name == null || name.equalsIgnoreCase("auto");
    }

    /**
     * The dtype for {@code name} ({@code auto}, or a forced {@code fp32|bf16}) for a {@code workload} step of
     * {@code rows} token rows of a model shaped {@code config}; {@code auto} prints its choice on {@code log}.
     */
    public static DType resolve(String name, Qwen2Config config, DTypeProbe.Workload workload, long rows, PrintStream log) {
        if (!isAuto(name)) {
            try {
                return DType.parse(name);
            } catch (IllegalArgumentException e) {
                throw new UserError("--dtype: " + e.getMessage() + " or auto");
            }
        }
        Choice c = choose(config, workload, rows);
        if (log != null) log.println("mathtune: dtype auto: " + c.reason());
        return c.dtype();
    }

    /**
     * The dtype for evaluation (graded answers): {@code auto} keeps fp32, because bf16 decoding did not pass the
     * accuracy guard (fp32 and bf16 greedy answers agreeing on at least 97 % of items) on every set it was tried on:
     * 98–100 % of the demo's held-out problems, but 75.5–77 % of a tiny model's GSM8K outputs, where fp32 at another
     * batch size agreed on 100 % and the weights rounded to bf16 alone, computed in fp32, on 91 %: no bf16 mode passes
     * there (docs/BENCHMARKS.md, "bf16"); a forced {@code bf16} is taken as given.
     */
    public static DType forEvaluation(String name, PrintStream log) {
        if (!isAuto(name)) return resolve(name, null, null, 0, null);
        if (log != null) {
            log.println("mathtune: dtype auto: fp32 for evaluation (bf16 decoding changed 23 % of a tiny model's GSM8K"
                    + " answers; docs/BENCHMARKS.md, \"bf16\"); --dtype bf16 forces it");
        }
        return DType.FP32;
    }

    /** Measures (or reads from the cache) and chooses. */
    public static Choice choose(Qwen2Config config, DTypeProbe.Workload workload, long rows) {
        return choose(config, workload, rows, cacheFile(), false);
    }

    /** Measures again (replacing the cached measurement) and chooses: {@code mathtune bench dtype --refresh}. */
    public static Choice measure(Qwen2Config config, DTypeProbe.Workload workload, long rows) {
        return choose(config, workload, rows, cacheFile(), true);
    }

    /** The cache file, {@code dtype.json} in {@link #cacheDir()}. */
    public static Path cacheFile() {
        return cacheDir().resolve("dtype.json");
    }

    static synchronized Choice choose(Qwen2Config config, DTypeProbe.Workload workload, long rows, Path file,
                                      boolean refresh) {
        Engine.init();
        String key = key(config, workload, rows);
        ObjectNode all = read(file);
        DTypeProbe.Timing t;
        boolean cached = !refresh && all.has(key);
        if (cached) {
            t = new DTypeProbe.Timing(all.get(key).get("fp32_s").asDouble(), all.get(key).get("bf16_s").asDouble());
        } else {
            t = DTypeProbe.time(config, workload, rows);
            all.putObject(key).put("fp32_s", t.fp32Seconds()).put("bf16_s", t.bf16Seconds());
            try {
                AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
            } catch (IOException e) {
                // a read-only home: the choice still stands, it is only measured again next time
            }
        }
        return choice(t, workload, rows, cached ? "cached in " + file : "measured now, cached in " + file);
    }

    /** The choice for measured times: bf16 when faster, for training by at least {@value #MARGIN_PERCENT} %. */
    static Choice choice(DTypeProbe.Timing t, DTypeProbe.Workload workload, long rows, String source) {
        int margin = workload == DTypeProbe.Workload.INFERENCE ? 0 : MARGIN_PERCENT;
        boolean bf16 = margin == 0 ? t.bf16Seconds() < t.fp32Seconds()
                : t.bf16Seconds() * (100 + margin) <= t.fp32Seconds() * 100;
        String what = workload == DTypeProbe.Workload.INFERENCE ? "bf16 weights" : "bf16 autocast";
        String reason = String.format(Locale.ROOT, "%s for %s at %d rows: this model's products take %.1f ms in bf16"
                        + " against %.1f ms in fp32 (%.2fx) on %s (%s)", bf16 ? what : "fp32", workload.label(), rows,
                1e3 * t.bf16Seconds(), 1e3 * t.fp32Seconds(), t.bf16Speedup(), machine(), source);
        return new Choice(bf16 ? DType.BF16 : DType.FP32, reason, t);
    }

    /** {@code $MATHTUNE_CACHE}, else {@code ~/.cache/mathtune}. */
    static Path cacheDir() {
        String env = System.getenv("MATHTUNE_CACHE");
        if (env == null || env.isBlank()) env = System.getProperty("mathtune.cache");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "mathtune");
    }

    private static String key(Qwen2Config c, DTypeProbe.Workload workload, long rows) {
        String torch = org.bytedeco.pytorch.global.torch.class.getPackage().getImplementationVersion();
        return String.join("|", machine(), Integer.toHexString(cpuFlags().hashCode()), "libtorch " + torch,
                "probe " + PROBE_VERSION, "omp " + System.getenv("OMP_WAIT_POLICY") + "/" + System.getenv("GOMP_SPINCOUNT"),
                Engine.threads() + " threads", Engine.deviceName(), workload.name(), rows + " rows",
                String.format(Locale.ROOT, "h%d i%d L%d q%dx%d kv%d v%d", c.hiddenSize(), c.intermediateSize(),
                        c.numLayers(), c.numHeads(), c.headDim(), c.numKvHeads(), c.vocabSize()));
    }

    private static ObjectNode read(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                var n = JSON.readTree(file.toFile());
                if (n instanceof ObjectNode o) return o;
            }
        } catch (IOException e) {
            // unreadable or torn: measure again and rewrite it
        }
        return JSON.createObjectNode();
    }

    /** The CPU's model name ({@code /proc/cpuinfo}), or the JVM's architecture where there is none. */
    static String machine() {
        String name = cpuinfo("model name");
        return name == null ? System.getProperty("os.arch") : name;
    }

    private static String cpuFlags() {
        String flags = cpuinfo("flags");
        return flags == null ? "" : flags;
    }

    private static String cpuinfo(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(field)) return line.substring(colon + 1).trim();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }
}
