package dev.mathtune.generate.openai;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Random;

/**
 * How long to wait before retry number {@code attempt} (1-based): {@code base * 2^(attempt-1)}, capped at
 * {@code max}, with "full jitter" (a uniform draw from the upper half of that). A server's {@code Retry-After}
 * takes precedence, capped at {@link #MAX_RETRY_AFTER}.
 */
public record Backoff(Duration base, Duration max) {
    /** The longest {@code Retry-After} honoured, so that a bad header cannot stall a run for hours. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(2);

    public Backoff {
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 <= base <= max, got base " + base + ", max " + max);
        }
    }

    /** The delay before retry {@code attempt}, or {@code retryAfter} when the server sent one. */
    public Duration delay(int attempt, Optional<Duration> retryAfter, Random random) {
        if (retryAfter.isPresent()) {
            Duration r = retryAfter.get();
            return r.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : r;
        }
        long baseMs = base.toMillis();
        long capMs = max.toMillis();
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long ceiling = baseMs > (capMs >> shift) ? capMs : Math.min(capMs, baseMs << shift);
        long half = ceiling / 2;
        long jitter = ceiling - half <= 0 ? 0 : (long) (random.nextDouble() * (ceiling - half + 1));
        return Duration.ofMillis(half + jitter);
    }

    /**
     * Parses a {@code Retry-After} header: delay seconds ({@code "3"}, {@code "1.5"}) or an HTTP date.
     * Empty when absent or unreadable.
     */
    public static Optional<Duration> parseRetryAfter(String header, ZonedDateTime now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        try {
            double seconds = Double.parseDouble(value);
            if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofMillis((long) Math.min(seconds * 1000, Long.MAX_VALUE / 2.0)));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
