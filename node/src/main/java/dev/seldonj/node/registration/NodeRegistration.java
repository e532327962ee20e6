package dev.seldonj.node.registration;

import dev.seldonj.node.errors.NodeException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Registers the Node and keeps it Ready: every 10 s it renews the node's Lease in kube-node-lease (what
 * the node lifecycle controller watches) and the Ready condition's heartbeat, as kubelet does. Missing
 * heartbeats for 40 s make kube-controller-manager mark the node NotReady and taint it.
 */
public final class NodeRegistration implements AutoCloseable {

    public static final long HEARTBEAT_SECONDS = 10;

    private final KubernetesClient client;
    private final String nodeName;
    private final String address;
    private final NodeFacts facts;
    private final Clock clock;
    private final Consumer<String> events;
    private Instant readySince;
    private String nodeUid;
    private ScheduledFuture<?> heartbeat;
    private String lastError;

    public NodeRegistration(
            KubernetesClient client,
            String nodeName,
            String address,
            NodeFacts facts,
            Clock clock,
            Consumer<String> events) {
        this.client = client;
        this.nodeName = nodeName;
        this.address = address;
        this.facts = facts;
        this.clock = clock;
        this.events = events;
    }

    /** Creates the Node or brings an existing one up to date; then heartbeats on {@code scheduler}. */
    public void start(ScheduledExecutorService scheduler) {
        Instant now = clock.instant();
        Node existing = client.nodes().withName(nodeName).get();
        readySince = now;
        if (existing == null) {
            Node created = client.nodes()
                    .resource(NodeObjects.node(nodeName, address, facts, now))
                    .create();
            nodeUid = created.getMetadata().getUid();
            events.accept("node " + nodeName + ": registered");
        } else {
            nodeUid = existing.getMetadata().getUid();
            readySince = readySince(existing).orElse(now);
            client.nodes().withName(nodeName).edit(n -> {
                n.getMetadata().getLabels().putAll(NodeObjects.labels(nodeName, facts));
                return n;
            });
            events.accept("node " + nodeName + ": already registered, updating it");
        }
        patchStatus(now);
        renewLease(now);
        heartbeat =
                scheduler.scheduleWithFixedDelay(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    private Optional<Instant> readySince(Node node) {
        if (node.getStatus() == null) {
            return Optional.empty();
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType()) && "True".equals(c.getStatus()) && c.getLastTransitionTime() != null) {
                return Optional.of(Instant.parse(c.getLastTransitionTime()));
            }
        }
        return Optional.empty();
    }

    private void beat() {
        Instant now = clock.instant();
        try {
            renewLease(now);
            patchStatus(now);
            if (lastError != null) {
                events.accept("node " + nodeName + ": heartbeat works again");
                lastError = null;
            }
        } catch (KubernetesClientException | NodeException e) {
            String message = e.getMessage();
            if (!message.equals(lastError)) {
                events.accept("node " + nodeName + ": heartbeat failed (retrying every " + HEARTBEAT_SECONDS + " s): "
                        + message);
                lastError = message;
            }
        }
    }

    private void patchStatus(Instant now) {
        String patch = client.getKubernetesSerialization()
                .asJson(Map.of("status", NodeObjects.status(nodeName, address, facts, now, readySince)));
        client.nodes()
                .withName(nodeName)
                .subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch);
    }

    private void renewLease(Instant now) {
        var leases = client.leases().inNamespace(NodeObjects.LEASE_NAMESPACE);
        Lease lease = leases.withName(nodeName).get();
        if (lease == null) {
            leases.resource(NodeObjects.lease(nodeName, nodeUid, now)).create();
            return;
        }
        lease.getSpec().setHolderIdentity(nodeName);
        lease.getSpec().setLeaseDurationSeconds(NodeObjects.LEASE_SECONDS);
        lease.getSpec().setRenewTime(NodeObjects.micro(now));
        leases.resource(lease).update();
    }

    @Override
    public void close() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
        }
    }
}
