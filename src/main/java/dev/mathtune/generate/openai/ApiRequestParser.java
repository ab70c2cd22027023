package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mathtune.generate.ChatMessage;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Validates the JSON body of a {@code /v1/completions} or {@code /v1/chat/completions} request and turns it into
 * an {@link ApiRequest}; every problem is an {@link ApiError} (400, or 404 for an unknown model) naming the field.
 * Defaults follow OpenAI ({@code temperature} 1, {@code top_p} 1), except {@code max_tokens} (the server's
 * default) and {@code seed} (0, so that unseeded sampling is reproducible). {@code top_k} -1 or 0 means off.
 * {@code n} is 1 to {@link #MAX_CHOICES}; log-probs follow OpenAI's ranges ({@code logprobs} 0..5 on completions,
 * {@code top_logprobs} 0..20 with {@code logprobs: true} on chat).
 * The non-standard {@code calculator} (true/false) asks for calculator-assisted decoding, defaulting to the
 * server's {@code serve --calculator}.
 */
public final class ApiRequestParser {
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    /** The most choices one request may ask for (each is a sequence in the engine's batch). */
    static final int MAX_CHOICES = 16;
    static final int MAX_COMPLETION_LOGPROBS = 5;
    static final int MAX_TOP_LOGPROBS = 20;

    private final List<String> servedModels;
    private final ServerOptions options;

    public ApiRequestParser(String servedModel, ServerOptions options) {
        this(List.of(servedModel), options);
    }

    /** A parser for a server answering for several names (a base and its adapters); the first is the default. */
    public ApiRequestParser(List<String> servedModels, ServerOptions options) {
        this.servedModels = List.copyOf(servedModels);
        this.options = options;
    }

    /**
     * The served name a body's {@code model} field picks (the first served name when the field is absent or null);
     * an {@link ApiError} 404 for a name this server does not serve.
     */
    public String model(JsonNode body) {
        return checkModel(body == null ? null : body.get("model"));
    }

    /** Parses a body for the chat endpoint ({@code chat}) or the text one; {@code id} becomes the request id. */
    public ApiRequest parse(JsonNode body, boolean chat, String id) {
        if (body == null || !body.isObject()) {
            throw ApiError.invalid("request body must be a JSON object");
        }
        checkModel(body.get("model"));
        long n = optionalLong(body, "n", 1);
        if (n < 1 || n > MAX_CHOICES) {
            throw ApiError.invalid("field 'n' must be between 1 and " + MAX_CHOICES + ", got " + n);
        }
        int logprobs = chat ? chatLogprobs(body) : completionLogprobs(body);
        SamplingParams params = sampling(body, chat);
        GenerationRequest generation = chat
                ? GenerationRequest.chat(id, messages(body.get("messages")), params)
                : GenerationRequest.text(id, prompt(body.get("prompt")), params);
        generation = generation.withCalculator(optionalBoolean(body, "calculator", options.calculator()));
        boolean stream = optionalBoolean(body, "stream", false);
        JsonNode streamOptions = body.path("stream_options");
        boolean includeUsage = streamOptions.isObject() && optionalBoolean(streamOptions, "include_usage", false);
        return new ApiRequest(generation, stream, includeUsage, (int) n, logprobs);
    }

    /** Completions: {@code logprobs: k} (0..5, OpenAI's range; null: none). */
    private static int completionLogprobs(JsonNode body) {
        long k = optionalLong(body, "logprobs", -1);
        if (body.hasNonNull("logprobs") && (k < 0 || k > MAX_COMPLETION_LOGPROBS)) {
            throw ApiError.invalid("field 'logprobs' must be between 0 and " + MAX_COMPLETION_LOGPROBS + ", got " + k);
        }
        return (int) k;
    }

    /** Chat: {@code logprobs: true} with {@code top_logprobs: k} (0..20, OpenAI's range; needs logprobs). */
    private static int chatLogprobs(JsonNode body) {
        boolean on = optionalBoolean(body, "logprobs", false);
        long k = optionalLong(body, "top_logprobs", 0);
        if (k < 0 || k > MAX_TOP_LOGPROBS) {
            throw ApiError.invalid("field 'top_logprobs' must be between 0 and " + MAX_TOP_LOGPROBS + ", got " + k);
        }
        if (!on && body.hasNonNull("top_logprobs")) {
            throw ApiError.invalid("field 'top_logprobs' needs 'logprobs': true");
        }
        return on ? (int) k : -1;
    }

    private String checkModel(JsonNode model) {
        if (model == null || model.isNull()) {
            return servedModels.get(0);
        }
        if (!model.isTextual()) {
            throw ApiError.invalid("field 'model' must be a string");
        }
        if (!servedModels.contains(model.asText())) {
            throw new ApiError(404, "invalid_request_error", "model '" + model.asText()
                    + "' does not exist; this server serves '" + String.join("', '", servedModels) + "'");
        }
        return model.asText();
    }

    private static String prompt(JsonNode prompt) {
        if (prompt == null || prompt.isNull()) {
            throw ApiError.invalid("field 'prompt' is required");
        }
        if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
            return prompt.get(0).asText();
        }
        if (!prompt.isTextual()) {
            throw ApiError.invalid("field 'prompt' must be a string");
        }
        return prompt.asText();
    }

    private static List<ChatMessage> messages(JsonNode messages) {
        if (messages == null || messages.isNull()) {
            throw ApiError.invalid("field 'messages' is required");
        }
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiError.invalid("field 'messages' must be a non-empty array");
        }
        List<ChatMessage> out = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject()) {
                throw ApiError.invalid("field '" + where + "' must be an object");
            }
            JsonNode role = m.get("role");
            if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
                throw ApiError.invalid("field '" + where + ".role' must be one of " + ROLES.stream().sorted().toList());
            }
            out.add(new ChatMessage(role.asText(), content(m.get("content"), where + ".content")));
        }
        return out;
    }

    /** A string, or an array of {@code {"type":"text","text":...}} parts (joined). */
    private static String content(JsonNode content, String where) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiError.invalid("field '" + where + "' may only hold text parts");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiError.invalid("field '" + where + "' must be a string");
    }

    private SamplingParams sampling(JsonNode body, boolean chat) {
        String tokensField = chat && body.hasNonNull("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        long maxTokens = optionalLong(body, tokensField, options.defaultMaxTokens());
        if (maxTokens < 0 || maxTokens > options.maxTokensLimit()) {
            throw ApiError.invalid("field '" + tokensField + "' must be between 0 and " + options.maxTokensLimit()
                    + ", got " + maxTokens);
        }
        double temperature = optionalNumber(body, "temperature", 1.0);
        if (temperature < 0 || Double.isNaN(temperature)) {
            throw ApiError.invalid("field 'temperature' must be >= 0, got " + temperature);
        }
        double topP = optionalNumber(body, "top_p", 1.0);
        if (!(topP > 0 && topP <= 1)) {
            throw ApiError.invalid("field 'top_p' must be in (0, 1], got " + topP);
        }
        long topK = optionalLong(body, "top_k", 0);
        if (topK < -1 || topK > Integer.MAX_VALUE) {
            throw ApiError.invalid("field 'top_k' must be >= 0 (0 or -1 = off), got " + topK);
        }
        long seed = optionalLong(body, "seed", 0);
        return new SamplingParams((int) maxTokens, temperature, topP, (int) Math.max(topK, 0), seed, stop(body.get("stop")));
    }

    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.asText());
        }
        if (stop.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode s : stop) {
                if (!s.isTextual()) {
                    throw ApiError.invalid("field 'stop' must be a string or an array of strings");
                }
                out.add(s.asText());
            }
            return out;
        }
        throw ApiError.invalid("field 'stop' must be a string or an array of strings");
    }

    private static double optionalNumber(JsonNode body, String field, double fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isNumber()) {
            throw ApiError.invalid("field '" + field + "' must be a number");
        }
        return v.asDouble();
    }

    private static long optionalLong(JsonNode body, String field, long fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw ApiError.invalid("field '" + field + "' must be an integer");
        }
        return v.asLong();
    }

    private static boolean optionalBoolean(JsonNode body, String field, boolean fallback) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw ApiError.invalid("field '" + field + "' must be true or false");
        }
        return v.asBoolean();
    }
}
