package dev.seldonj.node.container;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * What the downward API may tell about a pod that its object does not hold yet (its address is known to
 * the agent before the status carrying it is written), and the node's allocatable resources, which stand
 * in for a container's missing limits.
 *
 * @param nodeAllocatable e.g. {@code cpu -> 2, memory -> 24Gi}
 */
public record PodFacts(Pod pod, String podIp, String hostIp, Map<String, Quantity> nodeAllocatable) {}
