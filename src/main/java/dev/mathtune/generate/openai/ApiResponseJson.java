package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.generate.Completion;

import java.util.List;

/**
 * The JSON bodies {@link OpenAiServer} answers with: a completion (text or chat) with {@code usage},
 * {@code finish_reason} and the non-standard {@code token_ids} (and {@code calculator_calls}, where the calculator
 * was called) on the choice; the chunks of a streamed answer;
 * the model list; and errors.
 */
public final class ApiResponseJson {
    private final ObjectMapper mapper;
    private final String model;

    public ApiResponseJson(ObjectMapper mapper, String model) {
        this.mapper = mapper;
        this.model = model;
    }

    /** The whole answer to a non-streamed request. */
    public ObjectNode completion(String responseId, long created, boolean chat, Completion c) {
        ObjectNode body = header(responseId, created, chat ? "chat.completion" : "text_completion");
        ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
        if (chat) {
            choice.putObject("message").put("role", "assistant").put("content", c.text());
        } else {
            choice.put("text", c.text()).putNull("logprobs");
        }
        choice.put("finish_reason", c.finishReason().wireName());
        tokenIds(choice, c.tokenIds());
        calculatorCalls(choice, c);
        usage(body, c);
        return body;
    }

    /**
     * The server-sent-event payloads of a streamed answer, in order: the whole text in one chunk, a chunk with
     * the finish reason, and (when {@code includeUsage}) a usage chunk; the caller adds {@code [DONE]}.
     */
    public List<ObjectNode> streamChunks(String responseId, long created, boolean chat, Completion c,
                                         boolean includeUsage) {
        String object = chat ? "chat.completion.chunk" : "text_completion";
        ObjectNode first = header(responseId, created, object);
        ObjectNode firstChoice = first.putArray("choices").addObject().put("index", 0);
        if (chat) {
            firstChoice.putObject("delta").put("role", "assistant").put("content", c.text());
        } else {
            firstChoice.put("text", c.text()).putNull("logprobs");
        }
        firstChoice.putNull("finish_reason");
        tokenIds(firstChoice, c.tokenIds());
        ObjectNode last = header(responseId, created, object);
        ObjectNode lastChoice = last.putArray("choices").addObject().put("index", 0);
        if (chat) {
            lastChoice.putObject("delta");
        } else {
            lastChoice.put("text", "").putNull("logprobs");
        }
        lastChoice.put("finish_reason", c.finishReason().wireName());
        if (!includeUsage) {
            return List.of(first, last);
        }
        ObjectNode usage = header(responseId, created, object);
        usage.putArray("choices");
        usage(usage, c);
        return List.of(first, last, usage);
    }

    /** {@code GET /v1/models}: the one served model. */
    public ObjectNode models(long created) {
        ObjectNode body = mapper.createObjectNode().put("object", "list");
        body.putArray("data").addObject().put("id", model).put("object", "model").put("created", created)
                .put("owned_by", "mathtune");
        return body;
    }

    /** {@code {"error":{"message":...,"type":...,"code":status}}}. */
    public ObjectNode error(int status, String type, String message) {
        ObjectNode body = mapper.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).putNull("param").put("code", status);
        return body;
    }

    private ObjectNode header(String responseId, long created, String object) {
        return mapper.createObjectNode().put("id", responseId).put("object", object).put("created", created)
                .put("model", model);
    }

    private static void tokenIds(ObjectNode choice, List<Integer> ids) {
        ArrayNode array = choice.putArray("token_ids");
        ids.forEach(array::add);
    }

    /** The non-standard {@code calculator_calls}: each call's expression, result, token index and text offset. */
    private void calculatorCalls(ObjectNode choice, Completion c) {
        if (!c.calculatorCalls().isEmpty()) choice.set("calculator_calls", mapper.valueToTree(c.calculatorCalls()));
    }

    private static void usage(ObjectNode body, Completion c) {
        body.putObject("usage").put("prompt_tokens", c.promptTokens()).put("completion_tokens", c.completionTokens())
                .put("total_tokens", c.promptTokens() + c.completionTokens());
    }
}
