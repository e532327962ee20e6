package dev.seldonj.wrapper;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The REST body bytes held at once (read, waiting for a worker, or being served), bounded so that many large bodies
 * at once are refused (503) instead of exhausting the heap. A body alone may always take {@code maxBodyBytes},
 * even over the budget, so every body the limit allows can be served on a quiet server.
 */
final class BodyBudget {

    private final long budget;
    private final AtomicLong held = new AtomicLong();

    BodyBudget(long budget) {
        this.budget = budget;
    }

    /** Takes {@code bytes} from the budget, or returns false (nothing taken) when they do not fit. */
    boolean tryTake(long bytes) {
        while (true) {
            long now = held.get();
            if (now > 0 && now + bytes > budget) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void giveBack(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }
}
