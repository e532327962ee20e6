package dev.seldonj.node.probe;

import dev.seldonj.node.container.Security;
import io.fabric8.kubernetes.api.model.ContainerPort;
import java.util.List;
import java.util.Map;

/**
 * What a probe or hook of one running container reaches: the pod address (default host of network
 * probes), the container's named ports, and for exec the process whose namespaces it enters, with the
 * container's environment and user.
 */
public record ProbeTarget(
        String podIp, List<ContainerPort> ports, long pid, Map<String, String> env, Security security) {}
