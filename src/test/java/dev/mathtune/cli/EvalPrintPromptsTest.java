package dev.mathtune.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mathtune eval --print-prompts N --json}: the exact prompts, no weights loaded. */
class EvalPrintPromptsTest {
    static final Path DATA = Path.of(System.getProperty("mathtune.shared", "../shared"), "data");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int exit, List<JsonNode> lines, Throwable error) {
    }

    private Run run(String... args) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream old = System.out;
        Throwable[] error = new Throwable[1];
        int exit;
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            CommandLine cli = new CommandLine(new EvalCommand());
            cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
                error[0] = ex;
                return ExitCode.BAD_INPUT;
            });
            exit = cli.execute(args);
        } finally {
            System.setOut(old);
        }
        List<JsonNode> lines = new ArrayList<>();
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) lines.add(JSON.readTree(line));
        }
        return new Run(exit, lines, error[0]);
    }

    /** The upstream-built prompt of one item (src/test/resources/protocols/golden_prompts.jsonl). */
    private static String golden(String protocol, String dataset, int shots, int index) throws IOException {
        try (InputStream in = EvalPrintPromptsTest.class.getResourceAsStream("/protocols/golden_prompts.jsonl")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                JsonNode g = JSON.readTree(line);
                if (g.get("protocol").asText().equals(protocol) && g.get("dataset").asText().equals(dataset)
                        && g.get("shots").asInt() == shots && g.get("index").asInt() == index) {
                    return g.get("prompt").asText();
                }
            }
        }
        throw new AssertionError("no golden " + protocol + " " + dataset + " " + index);
    }

    @Test
    void printsOneJsonLinePerItemWithTheUpstreamText() throws IOException {
        Run r = run("--data", DATA.resolve("gsm8k/test.jsonl").toString(), "--prompt", "lm-eval-gsm8k",
                "--print-prompts", "3", "--json");
        assertEquals(0, r.exit(), String.valueOf(r.error()));
        assertEquals(3, r.lines().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, r.lines().get(i).get("index").asInt());
            assertEquals(2, r.lines().get(i).size(), "only index and prompt");
        }
        assertEquals(golden("lm-eval-gsm8k", "gsm8k", 5, 0), r.lines().get(0).get("prompt").asText());
        assertEquals(golden("lm-eval-gsm8k", "gsm8k", 5, 2), r.lines().get(2).get("prompt").asText());

        Run m = run("--data", DATA.resolve("math500/test.jsonl").toString(), "--prompt", "qwen-cot",
                "--print-prompts", "1", "--json");
        assertEquals(golden("qwen-cot", "math500", 4, 0), m.lines().get(0).get("prompt").asText());
    }

    @Test
    void aChatPromptReadsOnlyTheModelsChatTemplate() throws IOException {
        Run missing = run("--data", DATA.resolve("gsm8k/test.jsonl").toString(), "--prompt", "qwen-math-cot",
                "--print-prompts", "1", "--json");
        assertEquals(ExitCode.BAD_INPUT, missing.exit());
        assertInstanceOf(UserError.class, missing.error());
        assertTrue(missing.error().getMessage().contains("--model DIR"), missing.error().getMessage());

        // a "model" folder holding tokenizer_config.json alone: no weights, no vocabulary
        Path model = dir.resolve("qwen-tokenizer-config-only");
        Files.createDirectories(model);
        Files.copy(DATA.resolveSibling("tokenizers/qwen/tokenizer_config.json"), model.resolve("tokenizer_config.json"));
        Run chat = run("--data", DATA.resolve("gsm8k/test.jsonl").toString(), "--prompt", "qwen-math-cot",
                "--model", model.toString(), "--print-prompts", "2", "--json");
        assertEquals(0, chat.exit(), String.valueOf(chat.error()));
        // Qwen2.5's own chat template renders the chat prompt exactly as Qwen's evaluation writes qwen25-math-cot
        assertEquals(golden("qwen25-math-cot", "gsm8k", 0, 0), chat.lines().get(0).get("prompt").asText());
        assertEquals(golden("qwen25-math-cot", "gsm8k", 0, 1), chat.lines().get(1).get("prompt").asText());
        assertFalse(Files.exists(model.resolve("model.safetensors")));
    }
}
