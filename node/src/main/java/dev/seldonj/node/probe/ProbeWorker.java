package dev.seldonj.node.probe;

import io.fabric8.kubernetes.api.model.Probe;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Runs one probe of one container on the agent's shared scheduler: first after initialDelaySeconds,
 * then every periodSeconds, each attempt bounded by timeoutSeconds; tells {@code onChange} when the
 * thresholded result changes. Attempts while {@code enabled} is false (liveness and readiness before the
 * startup probe succeeded) are skipped, as kubelet does.
 */
public final class ProbeWorker {

    public enum Kind {
        LIVENESS,
        READINESS,
        STARTUP
    }

    private final Kind kind;
    private final Probe probe;
    private final ProbeRunner runner;
    private final ProbeTarget target;
    private final BooleanSupplier enabled;
    private final Consumer<ProbeWorker> onChange;
    private final ProbeState state;
    private volatile String lastFailure;
    private volatile ScheduledFuture<?> task;
    private volatile boolean stopped;

    public ProbeWorker(
            Kind kind,
            Probe probe,
            ProbeRunner runner,
            ProbeTarget target,
            BooleanSupplier enabled,
            Consumer<ProbeWorker> onChange) {
        this.kind = kind;
        this.probe = probe;
        this.runner = runner;
        this.target = target;
        this.enabled = enabled;
        this.onChange = onChange;
        ProbeState.Result initial = switch (kind) {
            case LIVENESS -> ProbeState.Result.SUCCESS;
            case READINESS -> ProbeState.Result.FAILURE;
            case STARTUP -> ProbeState.Result.UNKNOWN;
        };
        this.state = new ProbeState(initial, probe.getSuccessThreshold(), probe.getFailureThreshold());
    }

    public ProbeWorker start(ScheduledExecutorService scheduler) {
        long delay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
        long period = probe.getPeriodSeconds() == null || probe.getPeriodSeconds() < 1 ? 10 : probe.getPeriodSeconds();
        task = scheduler.scheduleWithFixedDelay(this::attempt, delay * 1000, period * 1000, TimeUnit.MILLISECONDS);
        return this;
    }

    private void attempt() {
        if (stopped || !enabled.getAsBoolean()) {
            return;
        }
        String failure;
        try {
            failure = runner.probe(probe, target);
        } catch (RuntimeException e) {
            failure = e.getMessage();
        }
        lastFailure = failure;
        boolean changed = state.record(failure == null);
        if (kind == Kind.STARTUP && state.result() == ProbeState.Result.SUCCESS) {
            // A startup probe is done once it succeeded.
            stop();
        }
        if (changed) {
            onChange.accept(this);
        }
    }

    public Kind kind() {
        return kind;
    }

    public ProbeState.Result result() {
        return state.result();
    }

    /** Why the last attempt failed, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    public Probe probe() {
        return probe;
    }

    public void stop() {
        stopped = true;
        ScheduledFuture<?> t = task;
        if (t != null) {
            t.cancel(false);
        }
    }
}
