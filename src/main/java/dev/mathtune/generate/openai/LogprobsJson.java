package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mathtune.generate.TokenLogprob;

import java.util.List;

/**
 * OpenAI's two log-prob objects. Completions ({@code logprobs: k}): {@code {tokens, token_logprobs, top_logprobs,
 * text_offset}}, where {@code top_logprobs[i]} maps the {@code k} most likely tokens and the chosen one to their
 * log-probs and {@code text_offset} counts from the start of the completion (no echo). Chat ({@code logprobs: true,
 * top_logprobs: k}): {@code {content: [{token, logprob, bytes, top_logprobs: [{token, logprob, bytes}]}]}}. A token
 * that holds only part of a UTF-8 character is written as OpenAI writes it, {@code "bytes:\xe2\x88"}. A log-prob
 * of -inf (a token of probability 0 in float) is written as -9999.0, as vLLM does, since JSON has no infinity.
 */
final class LogprobsJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private LogprobsJson() {
    }

    /** The completions object for {@code tokens}; {@code offsets} carries the text offset on from earlier tokens. */
    static ObjectNode completion(List<TokenLogprob> tokens, TextOffsets offsets) {
        ObjectNode out = NODES.objectNode();
        ArrayNode text = out.putArray("tokens");
        ArrayNode lps = out.putArray("token_logprobs");
        ArrayNode tops = out.putArray("top_logprobs");
        ArrayNode offs = out.putArray("text_offset");
        for (TokenLogprob t : tokens) {
            text.add(token(t));
            lps.add(finite(t.logprob()));
            ObjectNode top = tops.addObject();
            t.top().forEach(a -> top.put(token(a), finite(a.logprob())));
            top.put(token(t), finite(t.logprob()));
            offs.add(offsets.next(t.bytes()));
        }
        return out;
    }

    /** The chat object for {@code tokens}. */
    static ObjectNode chat(List<TokenLogprob> tokens) {
        ObjectNode out = NODES.objectNode();
        ArrayNode content = out.putArray("content");
        for (TokenLogprob t : tokens) {
            ObjectNode entry = entry(content.addObject(), t);
            ArrayNode top = entry.putArray("top_logprobs");
            t.top().forEach(a -> entry(top.addObject(), a));
        }
        return out;
    }

    private static ObjectNode entry(ObjectNode node, TokenLogprob t) {
        node.put("token", token(t)).put("logprob", finite(t.logprob()));
        ArrayNode bytes = node.putArray("bytes");
        for (byte b : t.bytes()) bytes.add(b & 0xFF);
        return node;
    }

    /** The token's text, or {@code bytes:\xNN...} when it is not whole UTF-8 characters. */
    static String token(TokenLogprob t) {
        if (t.text().indexOf('\uFFFD') < 0) return t.text();
        StringBuilder out = new StringBuilder("bytes:");
        for (byte b : t.bytes()) out.append(String.format("\\x%02x", b & 0xFF));
        return out.toString();
    }

    private static double finite(double logprob) {
        return Double.isFinite(logprob) ? logprob : -9999.0;
    }
}
