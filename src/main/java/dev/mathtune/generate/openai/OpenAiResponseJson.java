package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a server's answer: the first choice's {@code text} (completions) or {@code message.content} (chat),
 * its {@code finish_reason}, the optional non-standard {@code token_ids}, and {@code usage} when present;
 * also the message of an error body.
 */
public final class OpenAiResponseJson {
    private OpenAiResponseJson() {
    }

    /**
     * The completion for request {@code id}; throws {@link IllegalArgumentException} naming what is missing
     * when the body is not a completion.
     */
    public static Completion completion(String id, JsonNode body, boolean chat, double seconds) {
        JsonNode choices = body.path("choices");
        if (!choices.isArray() || choices.isEmpty() || !choices.get(0).isObject()) {
            throw new IllegalArgumentException("response has no 'choices'");
        }
        JsonNode choice = choices.get(0);
        JsonNode textNode = chat ? choice.path("message").path("content") : choice.path("text");
        if (!textNode.isTextual() && !textNode.isNull() && !(chat && choice.path("message").isObject())) {
            throw new IllegalArgumentException("response choice has no " + (chat ? "'message.content'" : "'text'"));
        }
        String text = textNode.isTextual() ? textNode.asText() : "";
        List<Integer> tokenIds = tokenIds(choice.path("token_ids"));
        FinishReason finish = "length".equals(choice.path("finish_reason").asText()) ? FinishReason.LENGTH
                : FinishReason.STOP;
        JsonNode usage = body.path("usage");
        int promptTokens = usage.path("prompt_tokens").asInt(0);
        int completionTokens = usage.path("completion_tokens").asInt(tokenIds.size());
        return new Completion(id, text, tokenIds, finish, promptTokens, completionTokens, seconds);
    }

    private static List<Integer> tokenIds(JsonNode node) {
        if (!node.isArray()) {
            return List.of();
        }
        List<Integer> ids = new ArrayList<>(node.size());
        for (JsonNode n : node) {
            if (!n.canConvertToInt()) {
                return List.of();
            }
            ids.add(n.asInt());
        }
        return ids;
    }

    /**
     * The server's message in an error body: {@code error.message} (OpenAI), {@code error} (a string),
     * {@code message} (vLLM) or {@code detail} (FastAPI); empty when none is found.
     */
    public static Optional<String> errorMessage(JsonNode body) {
        JsonNode error = body.path("error");
        if (error.path("message").isTextual()) {
            return Optional.of(error.path("message").asText());
        }
        if (error.isTextual()) {
            return Optional.of(error.asText());
        }
        if (body.path("message").isTextual()) {
            return Optional.of(body.path("message").asText());
        }
        JsonNode detail = body.path("detail");
        if (!detail.isMissingNode() && !detail.isNull()) {
            return Optional.of(detail.isTextual() ? detail.asText() : detail.toString());
        }
        return Optional.empty();
    }
}
