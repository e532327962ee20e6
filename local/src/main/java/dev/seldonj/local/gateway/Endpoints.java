package dev.seldonj.local.gateway;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The upstreams that answer for one Mapping, taken in turn (Emissary balances round-robin over a
 * Service's ready endpoints), or none and why (a Service without ready pods: the gateway answers
 * 503 naming the reason instead of waiting). One instance lives as long as one generation of
 * {@link Routes}; the turn counter is the only state, so requests never take a lock.
 */
public final class Endpoints {

    private final List<Upstream> upstreams;
    private final String unavailable;
    private final AtomicInteger turn = new AtomicInteger();

    private Endpoints(List<Upstream> upstreams, String unavailable) {
        this.upstreams = upstreams;
        this.unavailable = unavailable;
    }

    public static Endpoints of(Upstream upstream) {
        return new Endpoints(List.of(upstream), "");
    }

    /** Several upstreams, in the order they take turns; an empty list is {@link #none} with a generic reason. */
    public static Endpoints of(List<Upstream> upstreams) {
        return upstreams.isEmpty() ? none("no ready endpoint") : new Endpoints(List.copyOf(upstreams), "");
    }

    /** No upstream can answer; {@code reason} says why, for the caller's 503 or UNAVAILABLE. */
    public static Endpoints none(String reason) {
        return new Endpoints(List.of(), Objects.requireNonNull(reason, "reason"));
    }

    /** The upstream whose turn it is, or empty when there is none (see {@link #unavailableReason()}). */
    public Optional<Upstream> next() {
        return switch (upstreams.size()) {
            case 0 -> Optional.empty();
            case 1 -> Optional.of(upstreams.get(0));
            default -> Optional.of(upstreams.get(Math.floorMod(turn.getAndIncrement(), upstreams.size())));
        };
    }

    public List<Upstream> all() {
        return upstreams;
    }

    /** Why there is no upstream; empty when there is one. */
    public String unavailableReason() {
        return unavailable;
    }

    // Equal by content, not by turn: two Routes built from the same objects hold equal backends.
    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoints other
                && upstreams.equals(other.upstreams)
                && unavailable.equals(other.unavailable);
    }

    @Override
    public int hashCode() {
        return Objects.hash(upstreams, unavailable);
    }

    @Override
    public String toString() {
        return upstreams.isEmpty() ? "none (" + unavailable + ")" : upstreams.toString();
    }
}
