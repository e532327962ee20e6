package dev.seldonj.node.pod;

import dev.seldonj.local.images.ImageCommands;
import dev.seldonj.node.container.ContainerLauncher;
import dev.seldonj.node.container.EnvResolver;
import dev.seldonj.node.net.AddressAllocator;
import dev.seldonj.node.net.PodNetwork;
import dev.seldonj.node.probe.ProbeRunner;
import dev.seldonj.node.volume.TokenSource;
import dev.seldonj.node.volume.VolumeFiles;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * What every pod worker shares: the node's settings and the services that act on the machine or the API
 * server. The executors are bounded: {@code sync} runs the pods' (short) sync passes and their timers,
 * {@code scheduler} the probes and hooks (each attempt bounded by its timeout).
 *
 * @param hostIp the bridge address: the node's InternalIP, the pods' hostIP, where pods reach the API server
 * @param apiPort the API server's port, for KUBERNETES_SERVICE_PORT
 * @param events where one line per pod event goes
 */
public record NodeContext(
        String nodeName,
        String hostIp,
        int apiPort,
        Path stateDir,
        ImageCommands images,
        PodNetwork network,
        AddressAllocator addresses,
        ContainerLauncher launcher,
        ProbeRunner probes,
        EnvResolver env,
        VolumeFiles volumeFiles,
        TokenSource tokens,
        PodApi api,
        Map<String, Quantity> allocatable,
        ScheduledExecutorService sync,
        ScheduledExecutorService scheduler,
        Clock clock,
        Consumer<String> events) {}
