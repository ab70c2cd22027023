package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Answers one streamed request with server-sent events as its {@link ChoiceEvents} arrive: for chat, first a
 * {@code role} chunk per choice; then a chunk per text delta (with its tokens' log-probs when asked for), a finish
 * chunk per choice, the usage chunk when {@code stream_options.include_usage}, and {@code data: [DONE]}. Each event
 * is flushed as it is written. When a write fails (the client went away) the request is cancelled, which frees its
 * slots in the engine at the next step. A backend failure after the headers went out is sent as an
 * {@code {"error":...}} event, as vLLM does, before {@code [DONE]}.
 */
final class EventStream {
    private final ObjectMapper mapper;
    private final ApiResponseJson responses;
    private final String id;
    private final long created;
    private final boolean chat;
    private final ApiRequest request;

    EventStream(ObjectMapper mapper, ApiResponseJson responses, String id, long created, boolean chat,
                ApiRequest request) {
        this.mapper = mapper;
        this.responses = responses;
        this.id = id;
        this.created = created;
        this.chat = chat;
        this.request = request;
    }

    /** Streams until the request is done, failed, or the client is gone (then cancels it and rethrows). */
    void send(HttpExchange exchange, ChoiceEvents events) throws IOException, InterruptedException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, 0);
            pump(out, events);
        } catch (IOException clientGone) {
            events.cancel();
            throw clientGone;
        }
    }

    private void pump(OutputStream out, ChoiceEvents events) throws IOException, InterruptedException {
        int n = request.n();
        boolean logprobs = request.logprobs() >= 0;
        TextOffsets[] offsets = new TextOffsets[n];
        for (int i = 0; i < n; i++) {
            offsets[i] = new TextOffsets();
            if (chat) write(out, responses.deltaChunk(id, created, true, i, "", true, null, null));
        }
        while (true) {
            ChoiceEvents.Event e = events.next();
            if (e instanceof ChoiceEvents.Delta d) {
                if (d.text().isEmpty() && (!logprobs || d.tokens().isEmpty())) continue;
                write(out, responses.deltaChunk(id, created, chat, d.choice(), d.text(), false,
                        logprobs ? d.tokens() : null, offsets[d.choice()]));
            } else if (e instanceof ChoiceEvents.Finished f) {
                write(out, responses.finishChunk(id, created, chat, f.choice(), f.reason(), f.tokenIds()));
            } else if (e instanceof ChoiceEvents.Done done) {
                if (request.includeUsage()) write(out, responses.usageChunk(id, created, chat, done.completion()));
                break;
            } else if (e instanceof ChoiceEvents.Failed failed) {
                Throwable cause = failed.error();
                String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
                write(out, responses.error(500, "server_error", "generation failed: " + why));
                break;
            }
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private void write(OutputStream out, ObjectNode chunk) throws IOException {
        out.write(("data: " + mapper.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
