package dev.mathtune.generate.openai;

import dev.mathtune.generate.Completion;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands requests that arrive concurrently to a backend together, so that an engine can batch them: callers
 * {@link #submit} and get a future; one dispatcher thread waits for the first queued request, drains everything
 * else queued for the same backend (up to {@code maxBatch}) and makes one {@code generate} call, completing each
 * caller's future from the sink as its completion arrives. A backend failure fails every future of that batch; the
 * thread keeps going.
 *
 * <p>With several backends (a base model and its adapters, by served name) each has its own queue, and the thread
 * serves them round-robin: after a batch for one name it takes the next name in the given order that has work, so
 * a name with a long queue cannot starve the others (each waits at most one batch per other busy name). Batches
 * run one at a time, so backends that share weights never run concurrently.
 */
public final class BatchDispatcher implements AutoCloseable {
    private record Pending(GenerationRequest request, CompletableFuture<Completion> result) {
    }

    private final Map<String, TextGenerator> backends;
    private final Map<String, Deque<Pending>> queues = new LinkedHashMap<>();   // guarded by this
    private final List<String> order;
    private final int maxBatch;
    private final Thread thread;
    private int turn;                                                           // guarded by this
    private volatile boolean closed;

    /** One backend: {@link #submit(GenerationRequest)} queues for it. */
    public BatchDispatcher(TextGenerator backend, int maxBatch) {
        this(singleton(backend), maxBatch);
    }

    /** Several backends by name, served round-robin in the map's iteration order. */
    public BatchDispatcher(Map<String, TextGenerator> backends, int maxBatch) {
        if (backends.isEmpty()) throw new IllegalArgumentException("no backend to dispatch to");
        this.backends = new LinkedHashMap<>(backends);
        this.order = List.copyOf(this.backends.keySet());
        this.order.forEach(name -> queues.put(name, new ArrayDeque<>()));
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::run, "openai-server-dispatcher");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private static Map<String, TextGenerator> singleton(TextGenerator backend) {
        Map<String, TextGenerator> one = new LinkedHashMap<>();
        one.put("", backend);
        return one;
    }

    /** Queues a request for the first (or only) backend; see {@link #submit(String, GenerationRequest)}. */
    public CompletableFuture<Completion> submit(GenerationRequest request) {
        return submit(order.get(0), request);
    }

    /**
     * Queues a request for the backend named {@code name} (its id must be unique among those in flight); the
     * future completes with its result.
     */
    public CompletableFuture<Completion> submit(String name, GenerationRequest request) {
        CompletableFuture<Completion> result = new CompletableFuture<>();
        synchronized (this) {
            Deque<Pending> queue = queues.get(name);
            if (queue == null) throw new IllegalArgumentException("no backend named '" + name + "'");
            if (closed) {
                result.completeExceptionally(new IllegalStateException("server is shutting down"));
                return result;
            }
            queue.add(new Pending(request, result));
            notifyAll();
        }
        return result;
    }

    private void run() {
        while (!closed) {
            String name;
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                try {
                    while (!closed && nextWithWork() == null) wait();
                } catch (InterruptedException e) {
                    break;
                }
                if (closed) break;
                name = nextWithWork();
                Deque<Pending> queue = queues.get(name);
                while (batch.size() < maxBatch && !queue.isEmpty()) batch.add(queue.poll());
                turn = (order.indexOf(name) + 1) % order.size();
            }
            dispatch(backends.get(name), batch);
        }
        failAll(new IllegalStateException("server is shutting down"));
    }

    /** The first name from {@code turn} on (cyclically) with queued requests, or null. Call holding the lock. */
    private String nextWithWork() {
        for (int i = 0; i < order.size(); i++) {
            String name = order.get((turn + i) % order.size());
            if (!queues.get(name).isEmpty()) return name;
        }
        return null;
    }

    private static void dispatch(TextGenerator backend, List<Pending> batch) {
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
        synchronized (this) {
            queues.values().forEach(q -> {
                left.addAll(q);
                q.clear();
            });
        }
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
