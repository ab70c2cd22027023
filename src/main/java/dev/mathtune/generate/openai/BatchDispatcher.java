package dev.mathtune.generate.openai;

import dev.mathtune.generate.Completion;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Hands requests that arrive concurrently to a backend together, so that an engine can batch them: callers
 * {@link #submit} and get a future; one dispatcher thread waits for the first queued request, drains everything
 * else queued (up to {@code maxBatch}) and makes one {@code generate} call, completing each caller's future from
 * the sink as its completion arrives. A backend failure fails every future of that batch; the thread keeps going.
 */
public final class BatchDispatcher implements AutoCloseable {
    private record Pending(GenerationRequest request, CompletableFuture<Completion> result) {
    }

    private final TextGenerator backend;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    public BatchDispatcher(TextGenerator backend, int maxBatch) {
        this.backend = backend;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::run, "openai-server-dispatcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Queues a request (its id must be unique among those in flight); the future completes with its result. */
    public CompletableFuture<Completion> submit(GenerationRequest request) {
        CompletableFuture<Completion> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new IllegalStateException("server is shutting down"));
            return result;
        }
        queue.add(new Pending(request, result));
        return result;
    }

    private void run() {
        while (!closed) {
            List<Pending> batch = new ArrayList<>();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, maxBatch - 1);
            dispatch(batch);
        }
        failAll(new IllegalStateException("server is shutting down"));
    }

    private void dispatch(List<Pending> batch) {
        Map<String, CompletableFuture<Completion>> waiting = new ConcurrentHashMap<>();
        List<GenerationRequest> requests = new ArrayList<>(batch.size());
        for (Pending p : batch) {
            waiting.put(p.request().id(), p.result());
            requests.add(p.request());
        }
        try {
            backend.generate(requests, completion -> {
                CompletableFuture<Completion> f = waiting.remove(completion.id());
                if (f != null) {
                    f.complete(completion);
                }
            });
        } catch (RuntimeException | Error e) {
            waiting.values().forEach(f -> f.completeExceptionally(e));
            return;
        }
        waiting.values().forEach(f -> f.completeExceptionally(
                new IllegalStateException("backend returned no completion for this request")));
    }

    private void failAll(Throwable error) {
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(error));
    }

    /** Stops the dispatcher thread (after its current batch) and fails whatever is still queued. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll(new IllegalStateException("server is shutting down"));
    }
}
