package dev.mathtune.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.generate.ChatMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Qwen's real tokenizer against ids made by an independent implementation (shared/tokenizers/qwen). */
class QwenTokenizerTest {
    private static Tokenizer tokenizer;
    private static List<JsonNode> golden;

    static Path qwenDir() {
        return Path.of(System.getProperty("mathtune.shared", "/work/shared"), "tokenizers", "qwen");
    }

    @BeforeAll
    static void load() throws IOException {
        tokenizer = Tokenizer.load(qwenDir());
        golden = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String line : Files.readAllLines(qwenDir().resolve("golden_ids.jsonl"))) {
            if (!line.isBlank()) {
                golden.add(mapper.readTree(line));
            }
        }
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void encodesEveryGoldenTextToTheGoldenIds() {
        assertEquals(502, golden.size());
        for (JsonNode row : golden) {
            int[] expected = new int[row.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = row.get("ids").get(i).asInt();
            }
            assertArrayEquals(expected, tokenizer.encode(row.get("text").asText()), row.get("source").asText());
        }
    }

    @Test
    void decodeInvertsEncodeOnEveryGoldenText() {
        for (JsonNode row : golden) {
            String text = row.get("text").asText();
            assertEquals(text, tokenizer.decode(tokenizer.encode(text)), row.get("source").asText());
        }
    }

    @Test
    void longTextIsNotTruncated() {
        String text = "Natalia sold 48 clips in April and half as many in May. ".repeat(60);
        int[] ids = tokenizer.encode(text);
        assertTrue(ids.length > 600, "got " + ids.length + " ids");
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void specialTokensAreSingleIdsAndCanBeSkipped() {
        assertEquals(151644, tokenizer.tokenId("<|im_start|>").getAsInt());
        assertEquals(151645, tokenizer.tokenId("<|im_end|>").getAsInt());
        int[] ids = tokenizer.encode("<|im_start|>user\nhi<|im_end|>");
        assertEquals(151644, ids[0]);
        assertEquals(151645, ids[ids.length - 1]);
        assertEquals("user\nhi", tokenizer.decode(ids, true));
        assertEquals("<|im_start|>user\nhi<|im_end|>", tokenizer.decode(ids));
    }

    @Test
    void reportsVocabularyAndSpecialIds() {
        assertEquals(151669, tokenizer.vocabSize());
        assertEquals(Set.of(151645), tokenizer.eosIds());
        assertEquals(151643, tokenizer.padId());
        assertTrue(tokenizer.tokenId("Ġthe").isPresent());
        assertTrue(tokenizer.tokenId("no such token at all").isEmpty());
        assertTrue(tokenizer.specialIds().contains(151644));
    }

    @Test
    void numbersSplitIntoDigits() {
        int[] ids = tokenizer.encode("12345");
        assertEquals(5, ids.length, Arrays.toString(ids));
    }

    @Test
    void qwen3TemplateRendersChatMlPrompt() {
        String prompt = tokenizer.chatTemplate().render(List.of(ChatMessage.user("What is 2+3?")), true);
        assertEquals("<|im_start|>user\nWhat is 2+3?<|im_end|>\n<|im_start|>assistant\n", prompt);
        int[] ids = tokenizer.encode(prompt);
        assertEquals(151644, ids[0]);
        assertEquals(1, Arrays.stream(ids).filter(i -> i == 151645).count());
        assertEquals(2, Arrays.stream(ids).filter(i -> i == 151644).count());
    }

    @Test
    void qwen3TemplateHandlesSystemHistoryAndThinking() {
        List<ChatMessage> chat = List.of(
                ChatMessage.system("Be brief."),
                ChatMessage.user("What is 2+2?"),
                ChatMessage.assistant("<think>\nadd them\n</think>\n\n4"),
                ChatMessage.user("And 3+3?"));
        String expected = "<|im_start|>system\nBe brief.<|im_end|>\n"
                + "<|im_start|>user\nWhat is 2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n4<|im_end|>\n"
                + "<|im_start|>user\nAnd 3+3?<|im_end|>\n"
                + "<|im_start|>assistant\n";
        ChatTemplate template = tokenizer.chatTemplate();
        assertEquals(expected, template.render(chat, true));
        assertEquals(expected + "<think>\n\n</think>\n\n",
                template.render(chat, true, java.util.Map.of("enable_thinking", false)));
    }

    @Test
    void qwen3TemplateKeepsReasoningOfTheLastAnswer() {
        List<ChatMessage> chat = List.of(ChatMessage.user("2+2?"), ChatMessage.assistant("<think>\nadd\n</think>\n\n4"));
        assertEquals("<|im_start|>user\n2+2?<|im_end|>\n<|im_start|>assistant\n<think>\nadd\n</think>\n\n4<|im_end|>\n",
                tokenizer.chatTemplate().render(chat, false));
    }
}
