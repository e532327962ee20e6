package dev.seldonj.local.process;

import dev.seldonj.local.errors.RunnerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Waits until every started container is ready, failing fast when one exits and clearly when one is late. */
public final class ReadinessWaiter {

    private static final long POLL_MILLIS = 100;

    /** A started process and the check that tells it is ready. */
    public record Pending(LocalProcess process, ReadinessCheck check) {}

    private ReadinessWaiter() {}

    public static void await(List<Pending> pending, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Pending> waiting = new ArrayList<>(pending);
        while (!waiting.isEmpty()) {
            for (Pending p : List.copyOf(waiting)) {
                if (!p.process().isAlive()) {
                    throw new RunnerException(p.process().name() + " exited with code "
                            + p.process().exitCode() + " before it was ready; last output:\n"
                            + p.process().describeOutput());
                }
                if (p.check().ready()) {
                    waiting.remove(p);
                }
            }
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                Pending late = waiting.get(0);
                throw new RunnerException(late.process().name() + " was not ready after " + timeout.toSeconds()
                        + " s (waiting for " + late.check().describe() + "); last output:\n"
                        + late.process().describeOutput());
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RunnerException("interrupted while waiting for readiness", e);
            }
        }
    }
}
