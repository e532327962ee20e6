package dev.seldonj.node.registration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NodeObjectsTest {

    private final NodeFacts facts = new NodeFacts(2, 24_000_000, 100_000_000, "6.1.0", "Debian", "mid", "bid", "amd64");
    private final Instant t0 = Instant.parse("2025-01-01T10:00:00Z");

    @Test
    void theNodeCarriesLabelsCapacityAddressesAndAReadyCondition() {
        Node node = NodeObjects.node("seldonj-node", "10.244.100.1", facts, t0);
        assertThat(node.getMetadata().getLabels())
                .containsEntry("kubernetes.io/hostname", "seldonj-node")
                .containsEntry("kubernetes.io/os", "linux")
                .containsEntry("kubernetes.io/arch", "amd64")
                .doesNotContainKeys("node-role.kubernetes.io/control-plane");
        var status = node.getStatus();
        assertThat(status.getCapacity().get("cpu").toString()).isEqualTo("2");
        assertThat(status.getCapacity().get("pods").toString()).isEqualTo("110");
        assertThat(status.getCapacity().get("memory").toString()).isEqualTo("24000000Ki");
        assertThat(status.getAllocatable()).isEqualTo(status.getCapacity());
        assertThat(status.getAddresses())
                .extracting(a -> a.getType() + "=" + a.getAddress())
                .containsExactly("InternalIP=10.244.100.1", "Hostname=seldonj-node");
        assertThat(status.getNodeInfo().getKubeletVersion()).isEqualTo("v1.33.13");
        assertThat(status.getConditions())
                .extracting(NodeCondition::getType)
                .containsExactlyInAnyOrder("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");
        NodeCondition ready = status.getConditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow();
        assertThat(ready.getStatus()).isEqualTo("True");
        assertThat(ready.getLastHeartbeatTime()).isEqualTo("2025-01-01T10:00:00Z");
    }

    @Test
    void heartbeatsMoveTheHeartbeatButNotTheTransition() {
        var later = NodeObjects.status("n", "10.244.100.1", facts, t0.plusSeconds(10), t0);
        NodeCondition ready = later.getConditions().stream()
                .filter(c -> c.getType().equals("Ready"))
                .findFirst()
                .orElseThrow();
        assertThat(ready.getLastHeartbeatTime()).isEqualTo("2025-01-01T10:00:10Z");
        assertThat(ready.getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
    }

    @Test
    void theLeaseIsHeldByTheNodeForFortySecondsAndOwnedByIt() {
        Lease lease = NodeObjects.lease("seldonj-node", "uid-1", t0);
        assertThat(lease.getMetadata().getNamespace()).isEqualTo("kube-node-lease");
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("seldonj-node");
        assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(40);
        assertThat(lease.getSpec().getRenewTime().toInstant()).isEqualTo(t0);
        assertThat(lease.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind() + "/" + o.getName() + "/" + o.getUid())
                        .isEqualTo("Node/seldonj-node/uid-1"));
        assertThat(NodeFacts.goArch("x86_64")).isEqualTo("amd64");
        assertThat(NodeFacts.goArch("aarch64")).isEqualTo("arm64");
    }
}
