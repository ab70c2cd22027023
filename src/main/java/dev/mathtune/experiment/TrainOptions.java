package dev.mathtune.experiment;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.mathtune.UserError;
import dev.mathtune.train.DataFormat;
import dev.mathtune.train.TrainSpec;

/**
 * The training options a recipe may set, by the names {@code mathtune train} gives them (kebab-case, no dashes),
 * with the same defaults; {@link #spec} turns a merged option map into a {@link TrainSpec}. Values are kept as
 * text (lists comma-joined) so that the resolved config of a run can be written and compared as it was given.
 */
public final class TrainOptions {
    /** Every option with its default ({@code null}: unset), in {@code mathtune train}'s order. */
    public static final Map<String, String> DEFAULTS;

    static {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("prompt-field", null);
        d.put("response-field", null);
        d.put("chat", "false");
        d.put("train-on-prompt", "false");
        d.put("max-length", "1024");
        d.put("packing", "false");
        d.put("epochs", "1");
        d.put("max-steps", "0");
        d.put("batch-size", "4");
        d.put("grad-accum", "1");
        d.put("lr", "2e-5");
        d.put("warmup-ratio", "0.03");
        d.put("min-lr-ratio", "0.0");
        d.put("weight-decay", "0.0");
        d.put("max-grad-norm", "1.0");
        d.put("adam-beta1", "0.9");
        d.put("adam-beta2", "0.999");
        d.put("adam-eps", "1e-8");
        d.put("seed", "42");
        d.put("checkpoint-every", "100");
        d.put("log-every", "1");
        d.put("lora-r", "16");
        d.put("lora-alpha", "32");
        d.put("lora-dropout", "0.05");
        d.put("lora-targets", "q,k,v,o,gate,up,down");
        d.put("use-rslora", "false");
        d.put("num-virtual-tokens", "16");
        d.put("prefix-projection", "false");
        d.put("encoder-hidden-size", "512");
        d.put("limit", "0");
        d.put("dtype", dev.mathtune.model.AutoDType.defaultName());
        d.put("nproc-per-node", "1");
        d.put("dist-timeout", "300");
        DEFAULTS = Collections.unmodifiableMap(d);
    }

    private final Map<String, String> values;
    private final String where;

    private TrainOptions(Map<String, String> values, String where) {
        this.values = values;
        this.where = where;
    }

    /** True if {@code key} is a training option. */
    public static boolean known(String key) {
        return DEFAULTS.containsKey(key);
    }

    /**
     * The defaults overlaid, in order, with each layer (later layers win); {@code where} names the run in errors.
     */
    @SafeVarargs
    public static TrainOptions merge(String where, Map<String, String>... layers) {
        Map<String, String> v = new LinkedHashMap<>(DEFAULTS);
        for (Map<String, String> layer : layers) {
            layer.forEach((k, x) -> {
                if (!known(k)) throw new UserError(where + ": unknown training option '" + k + "'");
                v.put(k, x);
            });
        }
        return new TrainOptions(v, where);
    }

    /** Every option with its value (defaults included), in a fixed order. */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Only the options whose value differs from {@code mathtune train}'s default. */
    public Map<String, String> changed() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !v.equals(DEFAULTS.get(k))) out.put(k, v);
        });
        return out;
    }

    public String text(String key) {
        return values.get(key);
    }

    public int integer(String key) {
        String v = values.get(key);
        try {
            return Integer.parseInt(v.strip());
        } catch (RuntimeException e) {
            throw new UserError(where + ": train option '" + key + "': expected an integer, got '" + v + "'");
        }
    }

    public double number(String key) {
        String v = values.get(key);
        try {
            return Double.parseDouble(v.strip());
        } catch (RuntimeException e) {
            throw new UserError(where + ": train option '" + key + "': expected a number, got '" + v + "'");
        }
    }

    public boolean flag(String key) {
        String v = values.get(key) == null ? "" : values.get(key).strip().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new UserError(where + ": train option '" + key + "': expected true or false, got '"
                    + values.get(key) + "'");
        };
    }

    /** Data-parallel workers on this machine ({@code nproc-per-node}, as {@code mathtune train}'s flag). */
    public int workers() {
        int n = integer("nproc-per-node");
        if (n < 1) throw new UserError(where + ": train option 'nproc-per-node': must be >= 1, got " + n);
        return n;
    }

    /**
     * The {@code mathtune train} arguments that set every option with a value (a flag given when true), but
     * {@code nproc-per-node}, which is the launcher's: it passes them to its data-parallel workers.
     */
    public List<String> commandLine() {
        List<String> out = new java.util.ArrayList<>();
        values.forEach((k, v) -> {
            if (v == null || k.equals("nproc-per-node")) return;
            boolean isFlag = "false".equals(DEFAULTS.get(k)) || "true".equals(DEFAULTS.get(k));
            if (!isFlag) out.addAll(List.of("--" + k, v));
            else if (flag(k)) out.add("--" + k);
        });
        return out;
    }

    /** The {@link TrainSpec} of these options for {@code method} on {@code model} and {@code data}, into {@code out}. */
    public TrainSpec spec(Path model, Path data, String method, Path out) {
        workers();
        String promptField = text("prompt-field");
        String responseField = text("response-field");
        List<String> targets = Arrays.stream(text("lora-targets").split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        try {
            return new TrainSpec(model, data, method, out,
                    new DataFormat(promptField, responseField == null && promptField != null ? null : responseField),
                    flag("chat"), flag("train-on-prompt"), integer("max-length"), flag("packing"), integer("epochs"),
                    integer("max-steps"), integer("batch-size"), integer("grad-accum"), number("lr"),
                    number("warmup-ratio"), number("min-lr-ratio"), number("weight-decay"), number("max-grad-norm"),
                    number("adam-beta1"), number("adam-beta2"), number("adam-eps"), Long.parseLong(text("seed").strip()),
                    integer("checkpoint-every"), integer("log-every"), text("dtype"), integer("lora-r"),
                    number("lora-alpha"), number("lora-dropout"), targets, flag("use-rslora"),
                    integer("num-virtual-tokens"), flag("prefix-projection"), integer("encoder-hidden-size"),
                    integer("limit"));
        } catch (NumberFormatException e) {
            throw new UserError(where + ": train option 'seed': expected an integer, got '" + text("seed") + "'");
        } catch (UserError e) {
            throw new UserError(where + ": " + e.getMessage());
        }
    }
}
