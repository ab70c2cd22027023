package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.TokenLogprob;

import java.util.List;

/**
 * The JSON bodies {@link OpenAiServer} answers with: a completion (text or chat, one or more choices) with
 * {@code usage}, {@code finish_reason}, log-probs when asked for and the non-standard {@code token_ids} on each
 * choice (and {@code calculator_calls} on a single choice, where the calculator was called); the chunks of a
 * streamed answer (text deltas, one finish chunk per choice, the usage chunk); the model list; and errors.
 */
public final class ApiResponseJson {
    private final ObjectMapper mapper;
    private final String model;

    public ApiResponseJson(ObjectMapper mapper, String model) {
        this.mapper = mapper;
        this.model = model;
    }

    /**
     * The whole answer to a non-streamed request: one entry of {@code choices} per choice, with its log-probs when
     * {@code logprobs}, and usage (prompt counted once, completion tokens summed over the choices).
     */
    ObjectNode completion(String responseId, long created, boolean chat, ChoiceEvents.Answer answer,
                          boolean logprobs) {
        ObjectNode body = header(responseId, created, chat ? "chat.completion" : "text_completion");
        ArrayNode choices = body.putArray("choices");
        for (ChoiceEvents.Choice c : answer.choices()) {
            ObjectNode choice = choices.addObject().put("index", c.index());
            if (chat) {
                choice.putObject("message").put("role", "assistant").put("content", c.text());
            } else {
                choice.put("text", c.text());
            }
            logprobs(choice, chat, logprobs ? c.tokens() : null, new TextOffsets());
            choice.put("finish_reason", c.reason().wireName());
            tokenIds(choice, c.tokenIds());
            if (answer.choices().size() == 1) calculatorCalls(choice, answer.completion());
        }
        usage(body, answer.completion());
        return body;
    }

    /**
     * A streamed piece of choice {@code index}: its text (chat: as {@code delta.content}, with {@code delta.role} on
     * the choice's {@code first} piece) and, when {@code tokens} is not null, their log-probs ({@code offsets}
     * carries a completion's text offsets on from chunk to chunk).
     */
    ObjectNode deltaChunk(String responseId, long created, boolean chat, int index, String text, boolean first,
                          List<TokenLogprob> tokens, TextOffsets offsets) {
        ObjectNode chunk = header(responseId, created, chat ? "chat.completion.chunk" : "text_completion");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
        if (chat) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            delta.put("content", text);
        } else {
            choice.put("text", text);
        }
        logprobs(choice, chat, tokens, offsets);
        choice.putNull("finish_reason");
        return chunk;
    }

    /** The last chunk of choice {@code index}: an empty delta with its finish reason and all its token ids. */
    ObjectNode finishChunk(String responseId, long created, boolean chat, int index, FinishReason reason,
                           int[] tokenIds) {
        ObjectNode chunk = header(responseId, created, chat ? "chat.completion.chunk" : "text_completion");
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
        if (chat) {
            choice.putObject("delta");
        } else {
            choice.put("text", "");
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", reason.wireName());
        tokenIds(choice, tokenIds);
        return chunk;
    }

    /** The usage chunk of {@code stream_options.include_usage}: no choices, the request's usage. */
    ObjectNode usageChunk(String responseId, long created, boolean chat, Completion c) {
        ObjectNode chunk = header(responseId, created, chat ? "chat.completion.chunk" : "text_completion");
        chunk.putArray("choices");
        usage(chunk, c);
        return chunk;
    }

    /** The same bodies with {@code model} naming {@code servedName} (the model a request picked). */
    public ApiResponseJson forModel(String servedName) {
        return new ApiResponseJson(mapper, servedName);
    }

    /**
     * {@code GET /v1/models}: every served name in order, each card with vLLM's {@code root} (an adapter's
     * directory, a base's own name) and {@code parent} (the base an adapter applies to; null for a base).
     */
    public ObjectNode models(long created, List<ServedModel> served) {
        ObjectNode body = mapper.createObjectNode().put("object", "list");
        ArrayNode data = body.putArray("data");
        for (ServedModel m : served) {
            ObjectNode card = data.addObject().put("id", m.name()).put("object", "model").put("created", created)
                    .put("owned_by", "mathtune").put("root", m.root());
            if (m.parent() == null) card.putNull("parent");
            else card.put("parent", m.parent());
        }
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

    private static void tokenIds(ObjectNode choice, int[] ids) {
        ArrayNode array = choice.putArray("token_ids");
        for (int id : ids) {
            array.add(id);
        }
    }

    /** {@code choice.logprobs}: null when not asked for ({@code tokens} null), else OpenAI's object. */
    private static void logprobs(ObjectNode choice, boolean chat, List<TokenLogprob> tokens, TextOffsets offsets) {
        if (tokens == null) {
            choice.putNull("logprobs");
        } else {
            choice.set("logprobs", chat ? LogprobsJson.chat(tokens) : LogprobsJson.completion(tokens, offsets));
        }
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
