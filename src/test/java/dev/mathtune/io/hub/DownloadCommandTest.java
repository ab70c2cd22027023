package dev.mathtune.io.hub;

import dev.mathtune.cli.DownloadCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mathtune download} against a loopback fake Hub. */
class DownloadCommandTest {

    @Test
    void downloadsModelAndDatasetAndPrintsWhere(@TempDir Path dir) throws Exception {
        try (FakeHub hub = new FakeHub()) {
            hub.addRepo("models/acme/tiny", Map.of("config.json", "{}".getBytes(StandardCharsets.UTF_8),
                    "model.safetensors", new byte[5000]));
            hub.addRepo("datasets/acme/gsm", Map.of("test.jsonl", "{\"q\":1}\n".getBytes(StandardCharsets.UTF_8)));
            StringWriter out = new StringWriter();
            CommandLine cli = new CommandLine(new DownloadCommand()).setOut(new PrintWriter(out, true));
            int code = cli.execute("model", "acme/tiny", "--out", dir.resolve("m").toString(),
                    "--endpoint", hub.endpoint().toString(), "--include", "*.json");
            assertEquals(0, code);
            assertTrue(Files.exists(dir.resolve("m/config.json")));
            assertFalse(Files.exists(dir.resolve("m/model.safetensors")));
            assertTrue(out.toString().contains("1 files in " + dir.resolve("m").toAbsolutePath()), out.toString());

            code = cli.execute("dataset", "acme/gsm", "--out", dir.resolve("d").toString(), "--endpoint", hub.endpoint().toString());
            assertEquals(0, code);
            assertEquals("{\"q\":1}\n", Files.readString(dir.resolve("d/test.jsonl")));
        }
    }
}
