package dev.mathtune.generate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A streamed request read by OkHttp's server-sent-events client (okhttp-sse's own parser, not the server's code):
 * every {@code data:} payload in order, the chunks parsed as JSON, and whether the stream closed or failed.
 */
final class SseRecorder extends EventSourceListener {
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder().readTimeout(60, TimeUnit.SECONDS).build();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final List<String> data = new CopyOnWriteArrayList<>();
    final BlockingQueue<JsonNode> chunks = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile Throwable failure;
    private volatile int status;
    private EventSource source;

    /** Opens {@code POST url} with {@code json} as a stream. */
    static SseRecorder open(String url, String json) {
        SseRecorder r = new SseRecorder();
        Request request = new Request.Builder().url(url)
                .post(RequestBody.create(json, MediaType.get("application/json"))).build();
        r.source = EventSources.createFactory(CLIENT).newEventSource(request, r);
        return r;
    }

    @Override
    public void onOpen(EventSource eventSource, Response response) {
        status = response.code();
    }

    @Override
    public void onEvent(EventSource eventSource, String id, String type, String payload) {
        data.add(payload);
        if (!payload.equals("[DONE]")) {
            try {
                chunks.add(MAPPER.readTree(payload));
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void onClosed(EventSource eventSource) {
        ended.countDown();
    }

    @Override
    public void onFailure(EventSource eventSource, Throwable t, Response response) {
        failure = t;
        if (response != null) status = response.code();
        ended.countDown();
    }

    /** Waits for the server to end the stream; fails if it failed or took over {@code seconds}. */
    SseRecorder await(int seconds) throws InterruptedException, TimeoutException {
        if (!ended.await(seconds, TimeUnit.SECONDS)) throw new TimeoutException("stream still open");
        if (failure != null) throw new AssertionError("stream failed (HTTP " + status + ")", failure);
        return this;
    }

    /** Closes the connection from the client's side, as a user closing a chat window does. */
    void cancel() {
        source.cancel();
    }

    int status() {
        return status;
    }
}
