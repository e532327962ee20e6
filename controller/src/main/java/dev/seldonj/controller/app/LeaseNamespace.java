package dev.seldonj.controller.app;

import dev.seldonj.desired.config.OperatorConfig;
import java.util.Optional;

/**
 * The namespace of the leader-election Lease, the one thing the operator needs its "own" namespace
 * for. In the chart it is set explicitly ({@code lease-namespace}) and {@code POD_NAMESPACE} comes
 * from the downward API; run outside a pod (a laptop, a CI job) the kubeconfig's current-context
 * namespace stands in, and without one the controller refuses to guess (a Lease in "default" would
 * let two controllers started from different shells both lead).
 */
final class LeaseNamespace {

    private LeaseNamespace() {}

    /**
     * @param podNamespace the {@code POD_NAMESPACE} variable, "" when unset
     * @param clientNamespace the namespace of the Kubernetes client's configuration (kubeconfig
     *     current context, in-cluster service account), null when it names none
     * @return empty when leader election is off
     */
    static Optional<String> resolve(
            OperatorConfig.LeaderElection election, String podNamespace, String clientNamespace) {
        if (!election.enabled()) {
            return Optional.empty();
        }
        for (String candidate : new String[] {election.leaseNamespace(), podNamespace, clientNamespace}) {
            if (candidate != null && !candidate.isBlank()) {
                return Optional.of(candidate.trim());
            }
        }
        throw new StartupFailure("POD_NAMESPACE is not set and the kubeconfig's current context names no namespace: "
                + "set POD_NAMESPACE (or the setting leader-election.lease-namespace) to the namespace that holds the "
                + "leader-election Lease '" + election.leaseName() + "', or turn leader election off with "
                + "leader-election.enabled: false");
    }
}
