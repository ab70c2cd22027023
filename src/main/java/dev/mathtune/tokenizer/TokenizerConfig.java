package dev.mathtune.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mathtune.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of a Hugging Face {@code tokenizer_config.json} that matter here: the chat template and the names of the
 * special tokens. Each value is {@code null} when absent.
 *
 * @param chatTemplate Jinja source of the default chat template
 * @param bosToken     beginning-of-sequence token text
 * @param eosToken     end-of-sequence token text
 * @param padToken     padding token text
 */
public record TokenizerConfig(String chatTemplate, String bosToken, String eosToken, String padToken) {

    /** A config with no fields set (a checkpoint without {@code tokenizer_config.json}). */
    public static TokenizerConfig empty() {
        return new TokenizerConfig(null, null, null, null);
    }

    /** Reads {@code file}; a missing file gives {@link #empty()}, a malformed one a {@link UserError}. */
    public static TokenizerConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw UserError.inFile(file, "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw UserError.inFile(file, "expected a JSON object");
        }
        return new TokenizerConfig(chatTemplate(file, root.get("chat_template")),
                tokenText(root.get("bos_token")), tokenText(root.get("eos_token")), tokenText(root.get("pad_token")));
    }

    /** The template: a string, or a list of {@code {name, template}} where the one named "default" is used. */
    private static String chatTemplate(Path file, JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            for (JsonNode entry : node) {
                if ("default".equals(entry.path("name").asText())) {
                    return entry.path("template").asText();
                }
            }
            return node.size() > 0 ? node.get(0).path("template").asText(null) : null;
        }
        throw UserError.inFile(file, "field 'chat_template': expected a string or a list of {name, template}");
    }

    /** A special token is either a string or an object with a {@code content} field. */
    private static String tokenText(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText();
        }
        return Optional.ofNullable(node.get("content")).filter(JsonNode::isTextual).map(JsonNode::asText).orElse(null);
    }
}
