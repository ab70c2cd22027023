package dev.mathtune.eval.grade;

import java.time.Duration;

/** A point in time (on {@link System#nanoTime()}) by which one grading must finish; all its symbolic checks share it. */
public record Deadline(long expiresAtNanos) {

    /** The deadline {@code budget} from now. */
    public static Deadline in(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, expiresAtNanos - System.nanoTime()));
    }

    public boolean expired() {
        return System.nanoTime() >= expiresAtNanos;
    }
}
