package dev.seldonj.node.registration;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Node object, its status and its Lease, as kubelet v1.33 writes them. Pure: the clock and the
 * machine's facts come in.
 */
public final class NodeObjects {

    public static final String KUBELET_VERSION = "v1.33.13";
    public static final String LEASE_NAMESPACE = "kube-node-lease";
    public static final int LEASE_SECONDS = 40;
    public static final int MAX_PODS = 110;

    private NodeObjects() {}

    public static Map<String, String> labels(String nodeName, NodeFacts facts) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", nodeName);
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", facts.architecture());
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", facts.architecture());
        return labels;
    }

    public static Map<String, Quantity> capacity(NodeFacts facts) {
        Map<String, Quantity> capacity = new LinkedHashMap<>();
        capacity.put("cpu", new Quantity(Integer.toString(facts.cpus())));
        capacity.put("memory", new Quantity(facts.memoryKi() + "Ki"));
        capacity.put("ephemeral-storage", new Quantity(facts.storageKi() + "Ki"));
        capacity.put("pods", new Quantity(Integer.toString(MAX_PODS)));
        return capacity;
    }

    public static Node node(String nodeName, String address, NodeFacts facts, Instant now) {
        return new NodeBuilder()
                .withNewMetadata()
                .withName(nodeName)
                .withLabels(labels(nodeName, facts))
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                .endMetadata()
                .withStatus(status(nodeName, address, facts, now, now))
                .build();
    }

    /**
     * @param readySince when the Ready condition last changed to True (kept across heartbeats)
     */
    public static NodeStatus status(String nodeName, String address, NodeFacts facts, Instant now, Instant readySince) {
        String heartbeat = time(now);
        String since = time(readySince);
        List<NodeCondition> conditions = List.of(
                condition(
                        "MemoryPressure",
                        "False",
                        "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available",
                        heartbeat,
                        since),
                condition(
                        "DiskPressure",
                        "False",
                        "KubeletHasNoDiskPressure",
                        "kubelet has no disk pressure",
                        heartbeat,
                        since),
                condition(
                        "PIDPressure",
                        "False",
                        "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available",
                        heartbeat,
                        since),
                condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", heartbeat, since));
        return new NodeStatusBuilder()
                .withCapacity(capacity(facts))
                .withAllocatable(capacity(facts))
                .withConditions(conditions)
                .withAddresses(new NodeAddress(address, "InternalIP"), new NodeAddress(nodeName, "Hostname"))
                .withNewDaemonEndpoints()
                .withNewKubeletEndpoint()
                .withPort(10250)
                .endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo()
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion("")
                .withOperatingSystem("linux")
                .withArchitecture(facts.architecture())
                .withKernelVersion(facts.kernelVersion())
                .withOsImage(facts.osImage())
                .withContainerRuntimeVersion("seldonj://0.1.0")
                .withMachineID(facts.machineId())
                .withSystemUUID(facts.machineId())
                .withBootID(facts.bootId())
                .endNodeInfo()
                .build();
    }

    private static NodeCondition condition(
            String type, String status, String reason, String message, String heartbeat, String since) {
        return new NodeConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .withLastHeartbeatTime(heartbeat)
                .withLastTransitionTime(since)
                .build();
    }

    public static Lease lease(String nodeName, String nodeUid, Instant now) {
        LeaseBuilder lease = new LeaseBuilder()
                .withNewMetadata()
                .withName(nodeName)
                .withNamespace(LEASE_NAMESPACE)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(nodeName)
                .withLeaseDurationSeconds(LEASE_SECONDS)
                .withRenewTime(micro(now))
                .endSpec();
        if (nodeUid != null) {
            lease.editMetadata()
                    .addNewOwnerReference()
                    .withApiVersion("v1")
                    .withKind("Node")
                    .withName(nodeName)
                    .withUid(nodeUid)
                    .endOwnerReference()
                    .endMetadata();
        }
        return lease.build();
    }

    public static ZonedDateTime micro(Instant now) {
        return ZonedDateTime.ofInstant(now.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    public static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }
}
