package dev.seldonj.node.pod;

import java.time.Duration;
import java.time.Instant;

/**
 * kubelet's crash-loop back-off for one container, capped low for a test cluster: the first restart is
 * immediate, then 10 s, 20 s, 40 s, 60 s, ...; after twice the cap without a restart it starts over.
 */
public final class RestartBackOff {

    public static final Duration INITIAL = Duration.ofSeconds(10);
    public static final Duration MAX = Duration.ofSeconds(60);

    private Duration current;
    private Instant lastUpdate;

    /** How long the container must still wait before its restart, having exited at {@code finishedAt}. */
    public Duration remaining(Instant now, Instant finishedAt) {
        if (current == null || expired(now)) {
            return Duration.ZERO;
        }
        Duration waited = Duration.between(finishedAt, now);
        Duration left = current.minus(waited);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Records a restart: the next one waits longer. */
    public void restarted(Instant now) {
        if (current == null || expired(now)) {
            current = INITIAL;
        } else {
            current = current.multipliedBy(2).compareTo(MAX) > 0 ? MAX : current.multipliedBy(2);
        }
        lastUpdate = now;
    }

    /** The delay the next crash will wait (for the CrashLoopBackOff message). */
    public Duration current() {
        return current == null ? Duration.ZERO : current;
    }

    private boolean expired(Instant now) {
        return lastUpdate != null && Duration.between(lastUpdate, now).compareTo(MAX.multipliedBy(2)) > 0;
    }
}
