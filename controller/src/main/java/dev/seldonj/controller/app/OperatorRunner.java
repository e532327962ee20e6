package dev.seldonj.controller.app;

import dev.seldonj.controller.reconcile.SeldonDeploymentReconciler;
import dev.seldonj.desired.SeldonLabels;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Order;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.util.HashSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and runs the Java Operator SDK {@link Operator} on the fabric8 client: one controller for
 * SeldonDeployments, scoped to the configured namespaces and controller id, with leader election on
 * a Lease when enabled. JOSDK has no Micronaut integration, so it is wired here by hand. Before
 * anything starts, the Lease namespace is settled and the API server is asked once for everything
 * the informers will watch ({@link ApiPreflight}), so a start that cannot work ends with one line.
 */
@Context
@Order(2)
@Requires(property = "seldonj.operator.enabled", notEquals = "false")
public class OperatorRunner {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorRunner.class);

    private final Operator operator;
    private final KubernetesClient client;
    private final String leaseNamespace;
    private final String leaseName;
    /** Ours, not JOSDK's generated one, so that a shutdown can tell whether it holds the Lease. */
    private final String identity = UUID.randomUUID().toString();

    private volatile boolean stopping;

    public OperatorRunner(
            KubernetesClient client,
            OperatorConfig config,
            MeterRegistry meters,
            Clock clock,
            @Value("${pod.namespace:}") String podNamespace) {
        OperatorConfig.LeaderElection election = config.leaderElection();
        this.client = client;
        this.leaseNamespace = LeaseNamespace.resolve(
                        election, podNamespace, client.getConfiguration().getNamespace())
                .orElse(null);
        this.leaseName = election.enabled() ? election.leaseName() : null;
        if (leaseNamespace != null) {
            LOG.info("leader election on Lease {}/{}", leaseNamespace, election.leaseName());
        }
        String selector = controllerIdSelector(config.controllerId());
        ApiPreflight.check(client, config, selector);
        this.operator = new Operator(o -> {
            o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withStopOnInformerErrorDuringStartup(true);
            if (election.enabled()) {
                o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(
                        election.leaseName(),
                        leaseNamespace,
                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                        identity,
                        new LeaderCallbacks(
                                () -> LOG.info("leading: reconciling SeldonDeployments"),
                                this::lostLease,
                                leader -> LOG.info("leader is {}", leader)),
                        false));
            }
        });
        operator.register(new SeldonDeploymentReconciler(client, config, meters, clock), c -> {
            c.withName("seldondeployment").withLabelSelector(selector);
            if (config.watchNamespaces().isEmpty()) {
                c.watchingAllNamespaces();
            } else {
                c.settingNamespaces(new HashSet<>(config.watchNamespaces()));
            }
        });
        operator.start();
    }

    /** {@code seldon.io/controller-id=<id>}, or only resources without the label when no id is set (as Seldon). */
    static String controllerIdSelector(String controllerId) {
        return controllerId.isEmpty()
                ? "!" + SeldonLabels.CONTROLLER_ID
                : SeldonLabels.CONTROLLER_ID + "=" + controllerId;
    }

    public Operator operator() {
        return operator;
    }

    /** Whether every informer is connected and watching. */
    public boolean healthy() {
        return operator.getRuntimeInfo().allEventSourcesAreHealthy();
    }

    /**
     * A lost lease ends the process (as JOSDK does by default) so the pod restarts as a follower and
     * two leaders never reconcile at once; a deliberate shutdown does not.
     */
    private void lostLease() {
        if (!stopping) {
            LOG.error("lost the leader lease; exiting so the pod restarts as a follower");
            System.exit(1);
        }
    }

    @PreDestroy
    public void stop() {
        stopping = true;
        operator.stop();
        if (leaseName != null && leaseNamespace != null) {
            LeaseRelease.release(client, leaseNamespace, leaseName, identity);
        }
    }
}
