package dev.mathtune.eval;

import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.TextGenerator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Test double for a backend: answers each request with {@code answer.apply(request)}, from 4 threads in a
 * shuffled order, like a batching engine. With {@code failAfter >= 0} it delivers that many completions in total
 * (across calls) and then throws, like a crashed server.
 */
final class FakeGenerator implements TextGenerator {
    private final Function<GenerationRequest, String> answer;
    private final int failAfter;
    private final AtomicInteger delivered = new AtomicInteger();
    final List<GenerationRequest> seen = Collections.synchronizedList(new ArrayList<>());

    FakeGenerator(Function<GenerationRequest, String> answer, int failAfter) {
        this.answer = answer;
        this.failAfter = failAfter;
    }

    @Override
    public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
        List<GenerationRequest> order = new ArrayList<>(requests);
        Collections.shuffle(order, new Random(requests.size()));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (GenerationRequest r : order) {
                pool.submit(() -> deliver(r, sink));
            }
        } finally {
            pool.shutdown();
            awaitQuietly(pool);
        }
        if (failAfter >= 0 && delivered.get() >= failAfter) {
            throw new IllegalStateException("backend died after " + failAfter + " completions");
        }
    }

    private void deliver(GenerationRequest r, Consumer<Completion> sink) {
        seen.add(r);
        if (failAfter >= 0 && delivered.incrementAndGet() > failAfter) {
            return;
        }
        String text = answer.apply(r);
        sink.accept(new Completion(r.id(), text, List.of(), FinishReason.STOP, 10, text.length(), 0.01));
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String describe() {
        return "fake";
    }
}
