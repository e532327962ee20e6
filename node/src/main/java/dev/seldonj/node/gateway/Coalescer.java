package dev.seldonj.node.gateway;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task on its own thread at most once per {@code delay}, however many times it is requested:
 * the first request schedules a run after the delay, and requests until that run starts join it.
 * A request that arrives while the task runs schedules one more run, so the last change is never
 * missed. At most one run is ever queued, so a burst of informer events cannot pile up work.
 */
final class Coalescer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Coalescer.class);

    private final Runnable task;
    private final long delayMillis;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService thread;

    Coalescer(String name, Duration delay, Runnable task) {
        this.task = task;
        this.delayMillis = delay.toMillis();
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void request() {
        if (pending.compareAndSet(false, true)) {
            try {
                thread.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Closed: nothing is rebuilt any more.
            }
        }
    }

    private void run() {
        // Cleared before the task reads anything, so a change made during the run schedules another.
        pending.set(false);
        try {
            task.run();
        } catch (RuntimeException | LinkageError e) {
            // Logged here because a scheduled task's failure is otherwise kept silently in its Future; the
            // next request retries, on the same thread.
            LOG.error(
                    "{} failed; the next change retries", Thread.currentThread().getName(), e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
