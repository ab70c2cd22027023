package dev.mathtune.generate.openai;

import dev.mathtune.UserError;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenAiClientOptionsTest {

    @Test
    void baseUrlIsNormalisedWithOrWithoutV1() {
        for (String url : new String[] {"http://h:8000", "http://h:8000/", "http://h:8000/v1", " http://h:8000/v1/ "}) {
            assertEquals(URI.create("http://h:8000/v1/chat/completions"), ApiBase.parse(url).resolve("chat/completions"),
                    url);
        }
        assertEquals(URI.create("https://api.example.com/openai/v1/completions"),
                ApiBase.parse("https://api.example.com/openai/v1").resolve("completions"));
    }

    @Test
    void badUrlsAreUserErrors() {
        assertTrue(assertThrows(UserError.class, () -> ApiBase.parse("localhost:8000")).getMessage()
                .contains("'localhost:8000'"));
        assertThrows(UserError.class, () -> ApiBase.parse("ftp://h/v1"));
        assertThrows(UserError.class, () -> ApiBase.parse(" "));
        assertThrows(UserError.class, () -> ApiBase.parse("http://bad host/"));
    }

    @Test
    void apiKeyComesFromTheNamedEnvironmentVariableAndIsNeverPrinted() {
        OpenAiClientOptions opts = OpenAiClientOptions.of("http://h:1", "m")
                .withApiKeyFromEnv("VLLM_KEY", Map.of("VLLM_KEY", " sk-123 "));
        assertEquals("sk-123", opts.apiKey());
        assertFalse(opts.toString().contains("sk-123"), opts.toString());
        UserError missing = assertThrows(UserError.class, () -> OpenAiClientOptions.of("http://h:1", "m")
                .withApiKeyFromEnv("NOPE_KEY", Map.of()));
        assertEquals("API key environment variable NOPE_KEY is not set", missing.getMessage());
    }

    @Test
    void defaultsAndValidation() {
        OpenAiClientOptions opts = OpenAiClientOptions.of("http://h:1/v1", "m");
        assertEquals(8, opts.concurrency());
        assertEquals(5, opts.maxRetries());
        assertThrows(UserError.class, () -> opts.withConcurrency(0));
        assertThrows(UserError.class, () -> opts.withMaxRetries(-1));
        assertThrows(UserError.class, () -> opts.withRequestTimeout(Duration.ZERO));
        assertThrows(UserError.class, () -> opts.withRequestsPerSecond(-2));
        assertThrows(UserError.class, () -> OpenAiClientOptions.of("http://h:1", " "));
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
        Random random = new Random(7);
        for (int attempt = 1; attempt <= 40; attempt++) {
            long ceiling = Math.min(1000, 100L << Math.min(attempt - 1, 20));
            long ms = backoff.delay(attempt, Optional.empty(), random).toMillis();
            assertTrue(ms >= ceiling / 2 && ms <= ceiling, "attempt " + attempt + ": " + ms);
        }
        assertEquals(Duration.ofSeconds(3), backoff.delay(1, Optional.of(Duration.ofSeconds(3)), random));
        assertEquals(Backoff.MAX_RETRY_AFTER, backoff.delay(1, Optional.of(Duration.ofHours(5)), random));
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        ZonedDateTime now = ZonedDateTime.of(2024, 5, 1, 12, 0, 0, 0, ZoneOffset.UTC);
        assertEquals(Optional.of(Duration.ofSeconds(2)), Backoff.parseRetryAfter("2", now));
        assertEquals(Optional.of(Duration.ofMillis(1500)), Backoff.parseRetryAfter("1.5", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                Backoff.parseRetryAfter("Wed, 01 May 2024 12:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), Backoff.parseRetryAfter("Wed, 01 May 2024 11:00:00 GMT", now));
        assertEquals(Optional.empty(), Backoff.parseRetryAfter("soon", now));
        assertEquals(Optional.empty(), Backoff.parseRetryAfter(null, now));
    }

    @Test
    void rateLimiterSpacesCalls() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(50);
        long start = System.nanoTime();
        for (int i = 0; i < 6; i++) {
            limiter.acquire();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds >= 0.095, "6 calls at 50/s need >= 0.1 s, took " + seconds);
        RateLimiter none = new RateLimiter(0);
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            none.acquire();
        }
        assertTrue((System.nanoTime() - t0) / 1e9 < 0.5);
    }
}
