package dev.seldonj.engine.core;

import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body bytes the engine holds at once, process-wide: client request bodies being read or served, and
 * component answers being read or held for the client, REST and gRPC. Whoever holds body bytes reserves
 * them first; a reservation that does not fit is refused, and the request with it (503 with
 * {@code Retry-After}, gRPC RESOURCE_EXHAUSTED), so excess load is turned away before an allocation can
 * fail. The limit is set once at start-up ({@code --memory_budget_bytes}, by default half of the smaller
 * of the heap and direct-memory limits, {@link #derivedLimit()}); reservations are a few atomic operations.
 */
public final class MemoryBudget {

    private static final MemoryBudget GLOBAL = new MemoryBudget(derivedLimit());

    private volatile long limit;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    public MemoryBudget(long limit) {
        this.limit = limit;
    }

    /** The process's budget (direct and heap memory are the process's). */
    public static MemoryBudget global() {
        return GLOBAL;
    }

    /**
     * Half of the smaller of the heap limit and the direct-memory limit (which defaults to the heap's): bodies
     * live in direct buffers and are often copied onto the heap, and pooled buffers waste some of what they hold.
     */
    public static long derivedLimit() {
        long heap = Runtime.getRuntime().maxMemory();
        long direct = PlatformDependent.maxDirectMemory();
        long smaller = direct > 0 ? Math.min(heap, direct) : heap;
        return Math.max(1L << 20, smaller / 2);
    }

    public void setLimit(long limit) {
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }

    /** Reservations refused since start-up. */
    public long refusals() {
        return refusals.get();
    }

    public long used() {
        return used.get();
    }

    /** Takes {@code bytes} if they fit; false, taking nothing, if they do not. */
    public boolean tryReserve(long bytes) {
        if (bytes <= 0) {
            return true;
        }
        long max = limit;
        while (true) {
            long now = used.get();
            if (now + bytes > max) {
                refusals.incrementAndGet();
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** Takes bytes already held (received before they could be refused): counted, never refused. */
    public void reserve(long bytes) {
        if (bytes > 0) {
            used.addAndGet(bytes);
        }
    }

    public void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
        }
    }

    /** What a client is told when its request does not fit; no figures, nothing of the engine's internals. */
    public static EngineException overloaded() {
        return new EngineException(
                EngineException.Kind.OVERLOADED,
                "the engine is holding as much request and answer data as its memory allows; retry later");
    }
}
