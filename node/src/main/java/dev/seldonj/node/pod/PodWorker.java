package dev.seldonj.node.pod;

import dev.seldonj.node.container.ContainerConfigException;
import dev.seldonj.node.container.ContainerProcess;
import dev.seldonj.node.errors.NodeException;
import dev.seldonj.node.probe.ProbeState;
import dev.seldonj.node.probe.ProbeTarget;
import dev.seldonj.node.probe.ProbeWorker;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Probe;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one pod as kubelet would: sandbox (network namespace, volumes), init containers one by one to
 * completion, then the containers, restarts with back-off per restartPolicy, probes, status, and the
 * graceful stop when the pod is deleted. Every decision is made in {@link #sync}, which runs on the
 * shared sync executor one pass at a time per pod; anything that happens (a pod update, a process exit,
 * a probe result, a timer) only asks for another pass. Nothing here blocks for long: waits are timers.
 */
public final class PodWorker {

    private static final Logger LOG = LoggerFactory.getLogger(PodWorker.class);
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Duration VOLUME_REFRESH = Duration.ofSeconds(30);
    /** The shortest wait between SIGTERM and SIGKILL, so a JVM always gets to run its shutdown hooks. */
    private static final Duration MIN_GRACE = Duration.ofSeconds(2);

    private enum Stage {
        RUNNING,
        TERMINAL,
        TERMINATING,
        DONE
    }

    private final NodeContext ctx;
    private final String uid;
    private final String label;
    private final PodSandbox sandbox;
    private final ContainerStarter starter;
    private final Runnable onDone;
    private final List<ContainerRuntime> inits = new ArrayList<>();
    private final List<ContainerRuntime> mains = new ArrayList<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private volatile Pod pod;
    private volatile boolean deletedFromApi;
    private volatile boolean shuttingDown;

    // Below: touched by sync passes only.
    private Stage stage = Stage.RUNNING;
    private Instant startTime;
    private String sandboxError;
    private Instant volumesRefreshed = Instant.EPOCH;
    private PodStatus lastWritten;
    private Instant deadline;
    private CompletableFuture<Void> preStop;
    private boolean termSent;
    private boolean killSent;

    public PodWorker(NodeContext ctx, Pod pod, Runnable onDone) {
        this.ctx = ctx;
        this.pod = pod;
        this.onDone = onDone;
        this.uid = pod.getMetadata().getUid();
        this.label = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        PodDirs dirs = PodDirs.of(ctx.stateDir(), pod);
        this.sandbox = new PodSandbox(ctx, pod, dirs);
        this.starter = new ContainerStarter(ctx, dirs, sandbox, this::event);
        PodStatus status = pod.getStatus();
        for (Container c : pod.getSpec().getInitContainers()) {
            inits.add(new ContainerRuntime(
                    c, true, previous(status == null ? List.of() : status.getInitContainerStatuses(), c)));
        }
        for (Container c : pod.getSpec().getContainers()) {
            mains.add(new ContainerRuntime(
                    c, false, previous(status == null ? List.of() : status.getContainerStatuses(), c)));
        }
        if (status != null && status.getStartTime() != null) {
            startTime = Instant.parse(status.getStartTime());
        }
        String phase = status == null ? null : status.getPhase();
        if (PodStatuses.SUCCEEDED.equals(phase) || PodStatuses.FAILED.equals(phase)) {
            // Finished before this agent started: nothing to run again.
            stage = Stage.TERMINAL;
            lastWritten = status;
        }
    }

    private static ContainerStatus previous(List<ContainerStatus> statuses, Container c) {
        return statuses.stream()
                .filter(s -> c.getName().equals(s.getName()))
                .findFirst()
                .orElse(null);
    }

    public String uid() {
        return uid;
    }

    /** A newer version of the pod from the API server. */
    public void update(Pod newer) {
        pod = newer;
        requestSync();
    }

    /** The pod is gone from the API server (deleted with grace 0, or by someone else): stop it. */
    public void deleted() {
        deletedFromApi = true;
        requestSync();
    }

    /** The agent is stopping: stop the pod's processes and sandbox, write nothing more to the API server. */
    public CompletableFuture<Void> shutDown() {
        shuttingDown = true;
        requestSync();
        return done;
    }

    /** Asks for a sync pass; passes asked for while one runs are merged into one more pass. */
    public void requestSync() {
        dirty.set(true);
        if (scheduled.compareAndSet(false, true)) {
            ctx.sync().execute(this::drain);
        }
    }

    private void drain() {
        try {
            while (dirty.getAndSet(false)) {
                try {
                    sync();
                } catch (NodeException e) {
                    event("error: " + e.getMessage());
                    wake(RETRY);
                } catch (RuntimeException e) {
                    LOG.error("pod {}: unexpected error in sync", label, e);
                    wake(RETRY);
                }
            }
        } finally {
            scheduled.set(false);
            if (dirty.get() && scheduled.compareAndSet(false, true)) {
                ctx.sync().execute(this::drain);
            }
        }
    }

    private void wake(Duration after) {
        if (stage != Stage.DONE) {
            ctx.sync().schedule(this::requestSync, Math.max(after.toMillis(), 50), TimeUnit.MILLISECONDS);
        }
    }

    // ---------------------------------------------------------------- the sync pass

    private void sync() {
        if (stage == Stage.DONE) {
            return;
        }
        Instant now = ctx.clock().instant();
        collectExits(now);
        Pod p = pod;
        if (shuttingDown
                || deletedFromApi
                || p.getMetadata().getDeletionTimestamp() != null
                || stage == Stage.TERMINATING) {
            terminate(now);
            return;
        }
        if (stage == Stage.TERMINAL) {
            return;
        }
        if (startTime == null) {
            startTime = now;
        }
        if (!sandbox.ready()) {
            try {
                event(sandbox.setUp(pod));
                volumesRefreshed = now;
                sandboxError = null;
            } catch (NodeException e) {
                if (!e.getMessage().equals(sandboxError)) {
                    event("cannot set up the pod: " + e.getMessage());
                }
                sandboxError = e.getMessage();
                all().stream()
                        .filter(c -> c.process == null)
                        .forEach(c -> c.state = ContainerRuntime.waiting("ContainerCreating", sandboxError));
                writeStatus(now);
                wake(RETRY);
                return;
            }
        } else if (Duration.between(volumesRefreshed, now).compareTo(VOLUME_REFRESH) >= 0) {
            refreshVolumes(now);
        }
        if (runInitContainers(now)) {
            runContainers(now);
        }
        actOnProbes();
        String phase = PodStatuses.phase(view(false));
        if (PodStatuses.SUCCEEDED.equals(phase) || PodStatuses.FAILED.equals(phase)) {
            event("finished: " + phase);
            stopProcesses(true);
            tearDownSandbox();
            stage = Stage.TERMINAL;
        }
        writeStatus(now);
    }

    private List<ContainerRuntime> all() {
        List<ContainerRuntime> all = new ArrayList<>(inits);
        all.addAll(mains);
        return all;
    }

    // ---------------------------------------------------------------- sandbox

    private void refreshVolumes(Instant now) {
        volumesRefreshed = now;
        try {
            sandbox.refreshVolumes(pod);
        } catch (NodeException e) {
            event("volume refresh: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- containers

    /** True once every init container succeeded. */
    private boolean runInitContainers(Instant now) {
        String policy = PodStatuses.restartPolicy(pod);
        for (ContainerRuntime c : inits) {
            if (c.succeeded()) {
                continue;
            }
            if (c.process == null && c.termination != null) {
                if (!"Never".equals(policy)) {
                    restartAfterBackOff(c, now);
                }
            } else if (c.process == null) {
                start(c);
            }
            mains.stream()
                    .filter(m -> m.process == null
                            && m.termination == null
                            && m.state.getWaiting() != null
                            && "ContainerCreating".equals(m.state.getWaiting().getReason()))
                    .forEach(m -> m.state = ContainerRuntime.waiting("PodInitializing", null));
            return false;
        }
        return true;
    }

    private void runContainers(Instant now) {
        String policy = PodStatuses.restartPolicy(pod);
        for (ContainerRuntime c : mains) {
            if (c.process != null) {
                continue;
            }
            if (c.termination != null && c.state.getWaiting() == null) {
                boolean restart =
                        "Always".equals(policy) || "OnFailure".equals(policy) && c.termination.getExitCode() != 0;
                if (restart) {
                    restartAfterBackOff(c, now);
                }
            } else if (c.termination != null) {
                restartAfterBackOff(c, now);
            } else {
                start(c);
            }
        }
    }

    private void restartAfterBackOff(ContainerRuntime c, Instant now) {
        Instant finished = Instant.parse(c.termination.getFinishedAt());
        Duration left = c.backOff.remaining(now, finished);
        c.lastState = new ContainerStateBuilder().withTerminated(c.termination).build();
        if (!left.isZero()) {
            c.state = ContainerRuntime.waiting(
                    "CrashLoopBackOff",
                    "back-off " + c.backOff.current().toSeconds()
                            + "s restarting failed container=" + c.name() + " pod="
                            + pod.getMetadata().getName() + "_"
                            + pod.getMetadata().getNamespace() + "(" + uid + ")");
            wake(left);
            return;
        }
        c.backOff.restarted(now);
        start(c);
    }

    private void start(ContainerRuntime c) {
        try {
            int run = c.ranBefore ? c.restartCount + 1 : c.restartCount;
            ContainerStarter.Started started = starter.start(pod, c.spec, run);
            ContainerProcess process = started.process();
            c.restartCount = run;
            c.process = process;
            c.env = started.env();
            c.security = started.security();
            c.ranBefore = true;
            c.killing = false;
            c.loggedError = null;
            c.containerId = "seldonj://" + process.pid();
            c.state = new ContainerStateBuilder()
                    .withNewRunning()
                    .withStartedAt(PodStatuses.time(process.startedAt()))
                    .endRunning()
                    .build();
            process.onExit().thenRun(this::requestSync);
            startProbes(c);
            event("container " + c.name() + " started (pid " + process.pid() + ", restart " + c.restartCount + "): "
                    + String.join(" ", started.program()));
        } catch (ContainerConfigException e) {
            waitWithError(c, e.reason(), e.getMessage());
        } catch (NodeException e) {
            waitWithError(c, ContainerConfigException.RUN_ERROR, e.getMessage());
        }
    }

    private void waitWithError(ContainerRuntime c, String reason, String message) {
        c.state = ContainerRuntime.waiting(reason, message);
        if (!message.equals(c.loggedError)) {
            event("container " + c.name() + ": " + reason + ": " + message);
            c.loggedError = message;
        }
        wake(Duration.ofSeconds(10));
    }

    /** Notices processes that ended: their state becomes terminated, what is left of their group is killed. */
    private void collectExits(Instant now) {
        for (ContainerRuntime c : all()) {
            ContainerProcess process = c.process;
            if (process == null || process.alive()) {
                continue;
            }
            int exitCode = process.exitCode();
            // The program was the container's first process: when it ends, everything it left running ends too.
            process.kill();
            c.stopProbes();
            c.process = null;
            c.ready = false;
            c.started = false;
            if (c.termination != null) {
                c.lastState = new ContainerStateBuilder()
                        .withTerminated(c.termination)
                        .build();
            }
            ContainerStateTerminatedBuilder t = new ContainerStateTerminatedBuilder()
                    .withExitCode(exitCode)
                    .withReason(exitCode == 0 ? "Completed" : "Error")
                    .withStartedAt(PodStatuses.time(process.startedAt()))
                    .withFinishedAt(PodStatuses.time(now))
                    .withContainerID(c.containerId);
            if (exitCode != 0) {
                String tail = PodFiles.tail(process.log());
                t.withMessage(tail.isEmpty() ? null : tail);
            }
            c.termination = t.build();
            c.state = new ContainerStateBuilder().withTerminated(c.termination).build();
            event("container " + c.name() + " exited with code " + exitCode
                    + (c.killing ? " (killed by the node)" : ""));
            c.killing = false;
        }
    }

    // ---------------------------------------------------------------- probes

    private void startProbes(ContainerRuntime c) {
        ProbeTarget target = new ProbeTarget(sandbox.podIp(), c.spec.getPorts(), c.process.pid(), c.env, c.security);
        Probe startup = c.spec.getStartupProbe();
        ProbeWorker startupWorker = startup == null
                ? null
                : new ProbeWorker(
                        ProbeWorker.Kind.STARTUP, startup, ctx.probes(), target, () -> true, w -> probeChanged(c, w));
        c.started = startupWorker == null;
        if (startupWorker != null) {
            c.probes.add(startupWorker.start(ctx.scheduler()));
        }
        if (c.spec.getLivenessProbe() != null) {
            c.probes.add(new ProbeWorker(
                            ProbeWorker.Kind.LIVENESS,
                            c.spec.getLivenessProbe(),
                            ctx.probes(),
                            target,
                            () -> started(startupWorker),
                            w -> probeChanged(c, w))
                    .start(ctx.scheduler()));
        }
        if (c.spec.getReadinessProbe() != null) {
            c.probes.add(new ProbeWorker(
                            ProbeWorker.Kind.READINESS,
                            c.spec.getReadinessProbe(),
                            ctx.probes(),
                            target,
                            () -> started(startupWorker),
                            w -> probeChanged(c, w))
                    .start(ctx.scheduler()));
        }
    }

    private static boolean started(ProbeWorker startup) {
        return startup == null || startup.result() == ProbeState.Result.SUCCESS;
    }

    private void probeChanged(ContainerRuntime c, ProbeWorker w) {
        if (w.result() == ProbeState.Result.FAILURE) {
            event("container " + c.name() + ": " + w.kind().name().toLowerCase() + " probe failed: " + w.lastFailure());
        } else if (w.result() == ProbeState.Result.SUCCESS && w.kind() != ProbeWorker.Kind.LIVENESS) {
            event("container " + c.name() + ": " + w.kind().name().toLowerCase() + " probe succeeded");
        }
        requestSync();
    }

    /** Readiness from the probes' results; a failed liveness or startup probe stops the container. */
    private void actOnProbes() {
        for (ContainerRuntime c : mains) {
            if (c.process == null) {
                continue;
            }
            ProbeWorker startup = probe(c, ProbeWorker.Kind.STARTUP);
            ProbeWorker liveness = probe(c, ProbeWorker.Kind.LIVENESS);
            ProbeWorker readiness = probe(c, ProbeWorker.Kind.READINESS);
            c.started = startup == null || startup.result() == ProbeState.Result.SUCCESS;
            c.ready = c.started && !c.killing && (readiness == null || readiness.result() == ProbeState.Result.SUCCESS);
            ProbeWorker failed = startup != null && startup.result() == ProbeState.Result.FAILURE
                    ? startup
                    : liveness != null && liveness.result() == ProbeState.Result.FAILURE ? liveness : null;
            if (failed != null && !c.killing) {
                c.killing = true;
                c.ready = false;
                c.stopProbes();
                Duration grace = grace(failed.probe());
                event("container " + c.name() + " failed its "
                        + failed.kind().name().toLowerCase() + " probe, it will be restarted (grace "
                        + grace.toSeconds() + " s)");
                stopContainer(c, grace);
            }
        }
    }

    private static ProbeWorker probe(ContainerRuntime c, ProbeWorker.Kind kind) {
        return c.probes.stream().filter(w -> w.kind() == kind).findFirst().orElse(null);
    }

    private Duration grace(Probe probe) {
        Long seconds = probe.getTerminationGracePeriodSeconds() != null
                ? probe.getTerminationGracePeriodSeconds()
                : pod.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(seconds == null ? 30 : seconds);
    }

    /** SIGTERM now, SIGKILL when the grace period ends; the exit itself is noticed by a sync pass. */
    private void stopContainer(ContainerRuntime c, Duration grace) {
        ContainerProcess process = c.process;
        process.terminate();
        Duration wait = grace.compareTo(MIN_GRACE) < 0 ? MIN_GRACE : grace;
        ctx.sync()
                .schedule(
                        () -> {
                            if (process.alive()) {
                                process.kill();
                            }
                        },
                        wait.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- termination

    private void terminate(Instant now) {
        if (stage != Stage.TERMINATING) {
            boolean wasRunning = stage == Stage.RUNNING;
            stage = Stage.TERMINATING;
            Duration grace = terminationGrace();
            deadline = now.plus(grace);
            all().forEach(c -> {
                c.stopProbes();
                c.ready = false;
            });
            event((shuttingDown ? "node stopping" : deletedFromApi ? "removed from the API server" : "deleted")
                    + ": stopping (grace " + grace.toSeconds() + " s)");
            preStop = wasRunning && !shuttingDown ? runPreStopHooks(now) : CompletableFuture.completedFuture(null);
            preStop.whenComplete((v, e) -> requestSync());
            writeStatusIfAllowed(now);
        }
        if (!preStop.isDone() && now.isBefore(deadline)) {
            wake(Duration.between(now, deadline));
            return;
        }
        if (!termSent) {
            termSent = true;
            all().stream().filter(c -> c.process != null).forEach(c -> c.process.terminate());
            Instant killAt = deadline.isBefore(now.plus(MIN_GRACE)) ? now.plus(MIN_GRACE) : deadline;
            deadline = killAt;
        }
        if (all().stream().anyMatch(c -> c.process != null)) {
            if (!now.isBefore(deadline) && !killSent) {
                killSent = true;
                event("grace period over: killing what is left");
                stopProcesses(true);
            }
            wake(now.isBefore(deadline) ? Duration.between(now, deadline) : Duration.ofSeconds(1));
            return;
        }
        tearDownSandbox();
        writeStatusIfAllowed(now);
        if (!shuttingDown && !deletedFromApi) {
            try {
                ctx.api().deleteFinally(pod);
            } catch (RuntimeException e) {
                event("final delete failed: " + e.getMessage());
            }
        }
        event("stopped and cleaned up");
        stage = Stage.DONE;
        done.complete(null);
        onDone.run();
    }

    private Duration terminationGrace() {
        Pod p = pod;
        Long seconds = p.getMetadata().getDeletionGracePeriodSeconds() != null
                ? p.getMetadata().getDeletionGracePeriodSeconds()
                : p.getSpec().getTerminationGracePeriodSeconds();
        Duration grace = Duration.ofSeconds(seconds == null ? 30 : seconds);
        if (shuttingDown && grace.compareTo(Duration.ofSeconds(10)) > 0) {
            // The agent's own stop must stay short: at most 10 s per pod (all pods stop together).
            grace = Duration.ofSeconds(10);
        }
        return grace;
    }

    /** Each running container's preStop hook, on the shared scheduler, within the grace period. */
    private CompletableFuture<Void> runPreStopHooks(Instant now) {
        List<CompletableFuture<Void>> hooks = new ArrayList<>();
        for (ContainerRuntime c : mains) {
            if (c.process == null
                    || c.spec.getLifecycle() == null
                    || c.spec.getLifecycle().getPreStop() == null) {
                continue;
            }
            ProbeTarget target =
                    new ProbeTarget(sandbox.podIp(), c.spec.getPorts(), c.process.pid(), c.env, c.security);
            Duration budget = Duration.between(now, deadline);
            CompletableFuture<Void> hook = new CompletableFuture<>();
            ctx.scheduler().execute(() -> {
                try {
                    String failure = ctx.probes().hook(c.spec.getLifecycle().getPreStop(), target, budget);
                    if (failure != null) {
                        event("container " + c.name() + ": preStop hook failed: " + failure);
                    }
                } catch (RuntimeException e) {
                    event("container " + c.name() + ": preStop hook failed: " + e.getMessage());
                } finally {
                    hook.complete(null);
                }
            });
            hooks.add(hook);
        }
        return CompletableFuture.allOf(hooks.toArray(CompletableFuture[]::new));
    }

    /** Every process of the pod, also those that left their group: SIGKILL ({@code force}) or SIGTERM. */
    private void stopProcesses(boolean force) {
        for (ContainerRuntime c : all()) {
            c.stopProbes();
            if (c.process != null) {
                if (force) {
                    c.process.kill();
                } else {
                    c.process.terminate();
                }
            }
        }
        if (force) {
            sandbox.killStragglers();
        }
    }

    private void tearDownSandbox() {
        String problems = sandbox.tearDown();
        if (problems != null) {
            event(problems);
        }
    }

    // ---------------------------------------------------------------- status

    private PodView view(boolean stopped) {
        return new PodView(
                pod,
                sandbox.podIp(),
                ctx.hostIp(),
                startTime,
                sandbox.ready(),
                inits.stream().map(ContainerRuntime::view).toList(),
                mains.stream().map(ContainerRuntime::view).toList(),
                stopped,
                lastWritten != null ? lastWritten : pod.getStatus());
    }

    private void writeStatusIfAllowed(Instant now) {
        if (!shuttingDown && !deletedFromApi) {
            writeStatus(now);
        }
    }

    private void writeStatus(Instant now) {
        boolean stopped = stage == Stage.TERMINATING && all().stream().allMatch(c -> c.process == null);
        PodStatus status = PodStatuses.build(view(stopped), now);
        if (status.equals(lastWritten)) {
            return;
        }
        try {
            if (ctx.api().patchStatus(pod, status)) {
                if (lastWritten == null || !status.getPhase().equals(lastWritten.getPhase())) {
                    event("phase " + status.getPhase() + (sandbox.podIp() == null ? "" : ", ip " + sandbox.podIp()));
                }
                lastWritten = status;
            } else {
                deletedFromApi = true;
                requestSync();
            }
        } catch (RuntimeException e) {
            event("status write failed (retrying): " + e.getMessage());
            wake(RETRY);
        }
    }

    private void event(String message) {
        ctx.events().accept(label + ": " + message);
    }
}
