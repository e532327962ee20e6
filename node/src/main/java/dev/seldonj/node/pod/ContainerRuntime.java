package dev.seldonj.node.pod;

import dev.seldonj.node.container.ContainerProcess;
import dev.seldonj.node.container.Security;
import dev.seldonj.node.probe.ProbeWorker;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One container of a pod as the agent runs it: its current process, its state as the status shows it,
 * its restarts and its probes. Only the pod's worker (one thread at a time) touches it.
 */
final class ContainerRuntime {

    final Container spec;
    final boolean init;
    ContainerProcess process;
    Map<String, String> env = Map.of();
    Security security;
    ContainerState state = waiting("ContainerCreating", null);
    ContainerState lastState;
    ContainerStateTerminated termination;
    String containerId;
    int restartCount;
    /** It ran before (in this agent's life or, per its status, a previous one): its next start is a restart. */
    boolean ranBefore;

    final RestartBackOff backOff = new RestartBackOff();
    final List<ProbeWorker> probes = new ArrayList<>();
    boolean ready;
    boolean started;
    /** Being stopped on purpose (liveness or startup failure): not ready meanwhile. */
    boolean killing;
    /** The last waiting message logged, so a retried error is logged once. */
    String loggedError;

    ContainerRuntime(Container spec, boolean init, ContainerStatus previous) {
        this.spec = spec;
        this.init = init;
        if (previous != null) {
            restartCount = previous.getRestartCount() == null ? 0 : previous.getRestartCount();
            ContainerState s = previous.getState();
            ranBefore = s != null && (s.getRunning() != null || s.getTerminated() != null)
                    || previous.getLastState() != null
                            && previous.getLastState().getTerminated() != null;
        }
    }

    String name() {
        return spec.getName();
    }

    boolean succeeded() {
        return termination != null && termination.getExitCode() == 0 && state.getTerminated() != null;
    }

    void stopProbes() {
        probes.forEach(ProbeWorker::stop);
        probes.clear();
    }

    ContainerView view() {
        return new ContainerView(name(), spec.getImage(), state, lastState, restartCount, ready, started, containerId);
    }

    static ContainerState waiting(String reason, String message) {
        return new ContainerStateBuilder()
                .withNewWaiting()
                .withReason(reason)
                .withMessage(message)
                .endWaiting()
                .build();
    }
}
