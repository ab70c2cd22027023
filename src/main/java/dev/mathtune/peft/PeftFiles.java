package dev.mathtune.peft;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.pytorch.Tensor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mathtune.UserError;
import dev.mathtune.engine.DType;
import dev.mathtune.engine.Tensors;
import dev.mathtune.io.AtomicFiles;
import dev.mathtune.io.Safetensors;
import dev.mathtune.io.SafetensorsEntry;

/**
 * The files of a PEFT adapter directory, as {@code PeftModel.save_pretrained} writes them:
 * {@code adapter_config.json} (the config, with {@code peft_type}) and {@code adapter_model.safetensors}
 * (the trainable tensors, named without the adapter name {@code "default"}).
 */
public final class PeftFiles {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    public static final String LORA = "LORA";
    public static final String PREFIX_TUNING = "PREFIX_TUNING";

    static final ObjectMapper JSON = new ObjectMapper();

    private PeftFiles() {
    }

    /** Parses {@code dir/adapter_config.json}; errors name the file. */
    public static JsonNode readConfig(Path dir) {
        Path file = dir.resolve(CONFIG);
        if (!Files.isDirectory(dir)) throw UserError.inFile(dir, "adapter directory does not exist");
        if (!Files.isRegularFile(file)) throw UserError.inFile(file, "missing (a PEFT adapter directory needs " + CONFIG + ")");
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw UserError.inFile(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (n == null || !n.isObject()) throw UserError.inFile(file, "expected a JSON object");
        return n;
    }

    /** The {@code peft_type} field of the adapter's config. */
    public static String peftType(Path dir) {
        JsonNode n = readConfig(dir);
        String t = n.path("peft_type").asText("");
        if (t.isEmpty()) throw UserError.inFile(dir.resolve(CONFIG), "field 'peft_type': missing");
        return t;
    }

    /** Writes {@code dir/adapter_config.json} atomically (pretty-printed, sorted as given). */
    static void writeConfig(Path dir, ObjectNode config) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(CONFIG), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config) + "\n");
    }

    /** Writes tensors (detached, as fp32) to {@code dir/adapter_model.safetensors} atomically. */
    static void writeWeights(Path dir, Map<String, Tensor> tensors) throws IOException {
        Files.createDirectories(dir);
        Map<String, SafetensorsEntry> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue().detach().to(DType.FP32.scalarType()).contiguous();
            out.put(e.getKey(), new SafetensorsEntry(e.getKey(), DType.FP32.safetensorsTag(), Tensors.shape(t), Tensors.toBytes(t)));
        }
        Safetensors.write(dir.resolve(WEIGHTS), out, Map.of("format", "pt"));
    }

    /** All tensors of {@code dir/adapter_model.safetensors}. */
    static Map<String, SafetensorsEntry> readWeights(Path dir) {
        Path file = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(file)) {
            String hint = Files.isRegularFile(dir.resolve("adapter_model.bin"))
                    ? " (only adapter_model.bin found: pickled weights are not supported, re-save with safe_serialization=True)" : "";
            throw UserError.inFile(file, "missing" + hint);
        }
        return Safetensors.read(file);
    }

    /** Tensor {@code name} of {@code st} as a new fp32 tensor, checking presence, shape and dtype. */
    static Tensor tensor(Map<String, SafetensorsEntry> st, Path file, String name, long[] shape) {
        SafetensorsEntry e = st.get(name);
        if (e == null) throw UserError.inFile(file, "tensor '" + name + "' is missing");
        if (!Arrays.equals(e.shape(), shape)) {
            throw UserError.inFile(file, "tensor '" + name + "' has shape " + Arrays.toString(e.shape())
                    + " but the adapter config and base model imply " + Arrays.toString(shape));
        }
        DType stored = DType.ofSafetensorsTag(e.dtype());
        if (stored == null) throw UserError.inFile(file, "tensor '" + name + "': dtype " + e.dtype() + " is not a float type");
        return Tensors.fromBytes(e.data(), stored, shape, DType.FP32);
    }

    /** A positive integer field of an adapter config. */
    static int intField(JsonNode n, Path file, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) throw UserError.inFile(file, "field '" + key + "': missing");
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() <= 0) {
            throw UserError.inFile(file, "field '" + key + "': expected a positive integer, got " + v);
        }
        return v.asInt();
    }
}
