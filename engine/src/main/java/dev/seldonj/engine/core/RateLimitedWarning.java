package dev.seldonj.engine.core;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A warning written at most once per interval, however often its cause repeats (a dead sink can fail
 * thousands of events a second); the next one says how many were held back.
 */
public final class RateLimitedWarning {

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong next;
    private final AtomicLong held = new AtomicLong();

    public RateLimitedWarning(Logger log, long interval, TimeUnit unit, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = unit.toNanos(interval);
        this.nanoClock = nanoClock;
        this.next = new AtomicLong(nanoClock.getAsLong());
    }

    /** Writes the message if the interval has passed since the last one; returns whether it did. */
    public boolean warn(Supplier<String> message) {
        long now = nanoClock.getAsLong();
        long due = next.get();
        if (now - due < 0 || !next.compareAndSet(due, now + intervalNanos)) {
            held.incrementAndGet();
            return false;
        }
        long skipped = held.getAndSet(0);
        log.warn(skipped == 0 ? message.get() : message.get() + " (and " + skipped + " more since the last warning)");
        return true;
    }
}
