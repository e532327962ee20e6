package dev.seldonj.node.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;

/** The two writes the node makes to a pod. */
public interface PodApi {

    /**
     * Patches the status subresource (strategic merge: the node's conditions merge by type with the
     * scheduler's); false when the pod no longer exists.
     */
    boolean patchStatus(Pod pod, PodStatus status);

    /** kubelet's final delete once every container is stopped: grace period 0, only this very pod (uid). */
    void deleteFinally(Pod pod);
}
