package dev.mathtune.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Locates the golden checkpoints under {@code src/test/resources/golden} (made by make_goldens.py). */
public final class Golden {
    public static final String[] CHECKPOINTS = {"tiny-tied", "tiny-untied-kv1", "tiny-kv7", "tiny-untied-bf16"};

    private Golden() {
    }

    public static Path dir(String name) {
        try {
            return Path.of(Golden.class.getResource("/golden/" + name + "/config.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String name, String file) {
        try {
            return new ObjectMapper().readTree(dir(name).resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int[] ints(JsonNode arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) out[i] = arr.get(i).asInt();
        return out;
    }

    /** The shared folder beside the repo ({@code ../shared}), as surefire passes it. */
    public static Path shared() {
        return Path.of(System.getProperty("mathtune.shared", "../shared"));
    }
}
