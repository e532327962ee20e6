package dev.seldonj.engine.payloadlog;

import dev.seldonj.engine.core.RateLimitedWarning;
import dev.seldonj.engine.metrics.EngineMetrics.LogOutcome;
import io.netty.channel.EventLoop;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers payload log events from a bounded queue, at most {@code maxInFlight} at a time, on an
 * event loop of the logger's own, to each event's {@link Sink} (HTTP with the engine's keep-alive
 * connection pool, or a Kafka producer). Request event loops
 * only {@link #offer} (never blocking: an event beyond the bounds is dropped and counted), so whatever
 * a sink does (refuse, hang, resolve slowly) stalls logger deliveries, never a request. Each delivery
 * is bounded in time; nothing is retried.
 */
final class LogDispatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogDispatcher.class);
    private static final long WARN_INTERVAL_S = 10;

    private final EventLoop loop;
    private final Queue<LogEvent> queue = new ConcurrentLinkedQueue<>();
    private final int capacity;
    private final int maxInFlight;
    private final long maxBytes;
    /** Events queued or in flight: admission is against this, so the bound is exact. */
    private final AtomicInteger held = new AtomicInteger();

    private final AtomicInteger queued = new AtomicInteger();
    /** Payload bytes of the events queued or in flight. */
    private final AtomicLong bytes = new AtomicLong();

    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final RateLimitedWarning dropWarning =
            new RateLimitedWarning(LOG, WARN_INTERVAL_S, TimeUnit.SECONDS, System::nanoTime);
    private final RateLimitedWarning failWarning =
            new RateLimitedWarning(LOG, WARN_INTERVAL_S, TimeUnit.SECONDS, System::nanoTime);
    private volatile CloudEvent.Origin origin;
    private volatile boolean closed;
    // Confined to the loop.
    private int inFlight;
    private boolean draining;

    /**
     * @param loop the logger's own event loop: the sinks' connection pools must use it too
     * @param capacity events that may wait beyond those in flight ({@code --log_work_buffer_size})
     * @param timeoutMs each delivery's bound: the sinks' pools are made with it
     */
    LogDispatcher(
            EventLoop loop, int maxInFlight, int capacity, long maxBytes, long timeoutMs, CloudEvent.Origin origin) {
        this.loop = loop;
        this.maxInFlight = maxInFlight;
        this.capacity = capacity;
        this.maxBytes = maxBytes;
        this.origin = origin;
    }

    /** Replaces the attributes every event carries (once the HTTP port is bound). */
    void origin(CloudEvent.Origin o) {
        origin = o;
    }

    int queued() {
        return queued.get();
    }

    /**
     * Queues the event, or drops it (counted, warned at most every 10 s) when the events or payload
     * bytes held would exceed their bounds. Never blocks; safe on any thread.
     */
    void offer(LogEvent e) {
        boolean room = held.incrementAndGet() <= capacity + maxInFlight;
        long b = bytes.addAndGet(e.size());
        // One event larger than the whole byte budget still goes when nothing else is held.
        boolean fits = b <= maxBytes || b == e.size();
        if (closed || !room || !fits) {
            held.decrementAndGet();
            bytes.addAndGet(-e.size());
            e.count(LogOutcome.DROPPED);
            if (!closed) {
                dropWarning.warn(() -> "payload log queue full ("
                        + (room
                                ? maxBytes + " payload bytes, --log_work_buffer_bytes"
                                : capacity + " events waiting, --log_work_buffer_size")
                        + "): dropped a " + e.type().label
                        + " event of node '" + e.modelId() + "'");
            }
            return;
        }
        queued.incrementAndGet();
        queue.add(e);
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    /** On the loop: starts deliveries while there are free slots. */
    private void drain() {
        drainScheduled.set(false);
        if (draining) {
            return; // a delivery finished synchronously inside this loop: the loop below goes on
        }
        draining = true;
        try {
            LogEvent e;
            while (inFlight < maxInFlight && (e = queue.poll()) != null) {
                queued.decrementAndGet();
                inFlight++;
                send(e);
            }
        } finally {
            draining = false;
        }
    }

    private void send(LogEvent e) {
        e.sink().deliver(e, origin, loop, failure -> finish(e, failure));
    }

    private void finish(LogEvent e, String failure) {
        held.decrementAndGet();
        bytes.addAndGet(-e.size());
        if (failure == null) {
            e.count(LogOutcome.DELIVERED);
        } else {
            e.count(LogOutcome.FAILED);
            failWarning.warn(() -> "payload log: could not deliver a " + e.type().label + " event of node '"
                    + e.modelId() + "' to " + e.sink().uri() + ": " + failure);
        }
        inFlight--;
        drain();
    }

    /** Stops taking events; those still queued are not sent (Seldon's executor does not drain either). */
    @Override
    public void close() {
        closed = true;
    }
}
