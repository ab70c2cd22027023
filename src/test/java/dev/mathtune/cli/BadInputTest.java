package dev.mathtune.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mathtune.testing.Golden;
import dev.mathtune.testing.TinyModels;

/** Bad model directories give one-line errors naming the file and the problem, exit code 2, no stack trace. */
class BadInputTest {

    record Result(int code, String err) {
    }

    static Result score(Path model) {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run("score", "--model", model.toString(), "--ids", "1,2,3", "--json");
            return new Result(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    static Path copyTiny(Path tmp) throws Exception {
        Path d = Files.createDirectories(tmp.resolve("m"));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(Golden.dir("tiny-tied").resolve(f), d.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        for (String f : List.of("tokenizer.json", "tokenizer_config.json")) {
            Files.copy(TinyModels.tiny().resolve(f), d.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        return d;
    }

    static void assertOneLineError(Result r, String... parts) {
        assertEquals(ExitCode.BAD_INPUT, r.code(), r.err());
        String text = r.err().strip();
        assertEquals(1, text.lines().count(), "one line: " + text);
        assertTrue(text.startsWith("mathtune: "), text);
        assertFalse(text.contains("Exception") || text.contains("\tat "), text);
        for (String p : parts) assertTrue(text.contains(p), "'" + p + "' in: " + text);
    }

    @Test
    void goodModelScores(@TempDir Path tmp) throws Exception {
        assertEquals(ExitCode.OK, score(copyTiny(tmp)).code());
    }

    @Test
    void missingModelDirectory(@TempDir Path tmp) {
        assertOneLineError(score(tmp.resolve("nope")), tmp.resolve("nope").toString(), "does not exist");
    }

    @Test
    void truncatedSafetensors(@TempDir Path tmp) throws Exception {
        Path d = copyTiny(tmp);
        Path st = d.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(st);
        Files.write(st, java.util.Arrays.copyOf(all, all.length / 2));
        assertOneLineError(score(d), st.toString(), "truncated");
    }

    @Test
    void tensorOfTheWrongShape(@TempDir Path tmp) throws Exception {
        Path d = copyTiny(tmp);
        Path cfg = d.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"intermediate_size\": 128", "\"intermediate_size\": 96"));
        assertOneLineError(score(d), "model.safetensors", "model.layers.0.mlp.gate_proj.weight", "has shape [128, 64]",
                "[96, 64]");
    }

    @Test
    void unsupportedConfigFeature(@TempDir Path tmp) throws Exception {
        Path d = copyTiny(tmp);
        Path cfg = d.resolve("config.json");
        Files.writeString(cfg, Files.readString(cfg).replace("\"use_sliding_window\": false", "\"use_sliding_window\": true"));
        assertOneLineError(score(d), cfg.toString(), "use_sliding_window");
    }

    @Test
    void tokenizerLargerThanTheModel(@TempDir Path tmp) throws Exception {
        Path d = copyTiny(tmp);
        Files.copy(Golden.shared().resolve("tokenizers/qwen/tokenizer.json"), d.resolve("tokenizer.json"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.copy(Golden.shared().resolve("tokenizers/qwen/tokenizer_config.json"), d.resolve("tokenizer_config.json"),
                StandardCopyOption.REPLACE_EXISTING);
        assertOneLineError(score(d), "tokenizer.json", "151669", "vocab_size is 512");
    }
}
