package dev.seldonj.node.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.util.List;

/**
 * Everything a pod's status is made of: its spec, what the agent did (sandbox, containers) and the status
 * written before (conditions keep their transition times while they hold).
 *
 * @param podIp the pod's address, or null before its sandbox exists
 * @param stopped the agent stopped the pod for good (it is being deleted): its phase becomes terminal
 * @param previous the status last written, or the pod's own status, or null
 */
public record PodView(
        Pod pod,
        String podIp,
        String hostIp,
        Instant startTime,
        boolean sandboxReady,
        List<ContainerView> initContainers,
        List<ContainerView> containers,
        boolean stopped,
        PodStatus previous) {}
