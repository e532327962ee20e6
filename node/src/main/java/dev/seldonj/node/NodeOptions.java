package dev.seldonj.node;

import dev.seldonj.node.net.Subnet;
import java.nio.file.Path;

/**
 * The node agent's validated settings.
 *
 * @param subnet the bridge's address and prefix: the node's address and the pods' subnet
 * @param apiHost the API server's address as pods reach it (KUBERNETES_SERVICE_HOST)
 * @param images a user's image map, or null
 * @param gatewayPort the gateway's port, or null for no gateway
 */
public record NodeOptions(
        Path kubeconfig,
        String nodeName,
        String bridge,
        Subnet subnet,
        String apiHost,
        int apiPort,
        Path stateDir,
        Path repoDir,
        Path images,
        Integer gatewayPort) {}
