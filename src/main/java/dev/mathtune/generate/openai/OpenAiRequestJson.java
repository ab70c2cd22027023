package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.generate.ChatMessage;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;

/**
 * The JSON body the client sends for one {@link GenerationRequest}: {@code /v1/completions} for a prompt,
 * {@code /v1/chat/completions} for messages. {@code top_k} is a vLLM/SGLang/llama.cpp extra, omitted when 0 (off).
 */
public final class OpenAiRequestJson {
    private OpenAiRequestJson() {
    }

    /** The API path below {@code /v1} that serves this request. */
    public static String path(GenerationRequest request) {
        return request.isChat() ? "chat/completions" : "completions";
    }

    /** The request body, naming {@code model}. */
    public static ObjectNode body(ObjectMapper mapper, GenerationRequest request, String model) {
        ObjectNode body = mapper.createObjectNode();
        body.put("model", model);
        if (request.isChat()) {
            ArrayNode messages = body.putArray("messages");
            for (ChatMessage m : request.messages()) {
                messages.addObject().put("role", m.role()).put("content", m.content());
            }
        } else {
            body.put("prompt", request.prompt());
        }
        SamplingParams p = request.params();
        body.put("max_tokens", p.maxNewTokens());
        body.put("temperature", p.temperature());
        body.put("top_p", p.topP());
        if (p.topK() > 0) {
            body.put("top_k", p.topK());
        }
        body.put("seed", p.seed());
        if (!p.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            p.stop().forEach(stop::add);
        }
        body.put("n", 1);
        body.put("stream", false);
        return body;
    }
}
