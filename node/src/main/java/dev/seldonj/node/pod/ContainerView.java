package dev.seldonj.node.pod;

import io.fabric8.kubernetes.api.model.ContainerState;

/**
 * What the agent observed of one container, as its status reports it.
 *
 * @param state waiting, running or terminated (exactly one set)
 * @param lastState the previous termination, or null
 * @param containerId {@code seldonj://<pid>} of the current or last process, or null before the first start
 */
public record ContainerView(
        String name,
        String image,
        ContainerState state,
        ContainerState lastState,
        int restartCount,
        boolean ready,
        boolean started,
        String containerId) {

    public boolean running() {
        return state.getRunning() != null;
    }

    public boolean terminated() {
        return state.getTerminated() != null;
    }

    public boolean succeeded() {
        return terminated() && state.getTerminated().getExitCode() == 0;
    }

    /** Waiting to be started again after it ran (kubelet counts such a container as stopped, not waiting). */
    public boolean restarting() {
        return state.getWaiting() != null && lastState != null && lastState.getTerminated() != null;
    }
}
