package dev.mathtune.generate.openai;

/**
 * Spaces calls at least {@code 1 / perSecond} seconds apart, across all threads; {@code perSecond <= 0} means
 * no limit. Threads reserve the next free slot, then sleep until it.
 */
public final class RateLimiter {
    private final long intervalNanos;
    private long nextSlot;

    public RateLimiter(double perSecond) {
        this.intervalNanos = perSecond <= 0 ? 0 : (long) (1_000_000_000L / perSecond);
        this.nextSlot = System.nanoTime();
    }

    /** Blocks until this caller may start a request. */
    public void acquire() throws InterruptedException {
        if (intervalNanos == 0) {
            return;
        }
        long slot;
        synchronized (this) {
            long now = System.nanoTime();
            slot = Math.max(now, nextSlot);
            nextSlot = slot + intervalNanos;
        }
        long waitNanos = slot - System.nanoTime();
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
    }
}
