package dev.mathtune.generate.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.mathtune.generate.Completion;
import dev.mathtune.generate.FinishReason;
import dev.mathtune.generate.GenerationRequest;
import dev.mathtune.generate.SamplingParams;
import dev.mathtune.generate.TextGenerator;

/** The dispatcher's queues per served name: batches never mix names, and busy names take turns. */
@Timeout(30)
class BatchDispatcherTest {

    /** Answers "name:prompt"; the first call waits for {@code release}; every call is logged as "name×size". */
    private static final class Recording implements TextGenerator {
        final String name;
        final List<String> log;
        final CountDownLatch entered;
        final CountDownLatch release;

        Recording(String name, List<String> log, CountDownLatch entered, CountDownLatch release) {
            this.name = name;
            this.log = log;
            this.entered = entered;
            this.release = release;
        }

        @Override
        public void generate(List<GenerationRequest> requests, Consumer<Completion> sink) {
            log.add(name + "x" + requests.size());
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (GenerationRequest r : requests) {
                sink.accept(new Completion(r.id(), name + ":" + r.prompt(), List.of(), FinishReason.STOP, 0, 0, 0));
            }
        }

        @Override
        public String describe() {
            return name;
        }
    }

    @Test
    void namesTakeTurnsAndBatchesNeverMixNames() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch entered = new CountDownLatch(1), release = new CountDownLatch(1);
        Map<String, TextGenerator> backends = new LinkedHashMap<>();
        for (String n : List.of("base", "a", "b")) backends.put(n, new Recording(n, log, entered, release));
        List<CompletableFuture<Completion>> futures = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        try (BatchDispatcher d = new BatchDispatcher(backends, 2)) {
            futures.add(d.submit("a", request("a", 0)));
            expected.add("a:a0");
            assertTrue(entered.await(10, TimeUnit.SECONDS));     // the first batch is running; the rest queue
            for (int i = 1; i <= 6; i++) {
                futures.add(d.submit("a", request("a", i)));
                expected.add("a:a" + i);
            }
            futures.add(d.submit("base", request("base", 0)));
            futures.add(d.submit("b", request("b", 0)));
            expected.add("base:base0");
            expected.add("b:b0");
            release.countDown();
            List<String> texts = new ArrayList<>();
            for (CompletableFuture<Completion> f : futures) texts.add(f.get(10, TimeUnit.SECONDS).text());
            assertEquals(expected, texts);
            assertThrows(IllegalArgumentException.class, () -> d.submit("nobody", request("x", 0)));
        }
        // after a's first batch the turn passes to b, then base, and only then back to a (batches of at most 2):
        // the one request each for base and b waits one batch, not a's whole queue of six
        assertEquals(List.of("ax1", "bx1", "basex1", "ax2", "ax2", "ax2"), log);
    }

    private static GenerationRequest request(String name, int i) {
        return GenerationRequest.text(name + i, name + i, SamplingParams.greedy(4));
    }
}
