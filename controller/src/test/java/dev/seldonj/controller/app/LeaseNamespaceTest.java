package dev.seldonj.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.desired.config.OperatorConfig.LeaderElection;
import org.junit.jupiter.api.Test;

/** Where the leader-election Lease lives: configured, else POD_NAMESPACE, else the kubeconfig's namespace. */
class LeaseNamespaceTest {

    static final LeaderElection DEFAULT = new LeaderElection(true, "seldon-controller-leader", "");

    @Test
    void theConfiguredNamespaceWins() {
        assertThat(LeaseNamespace.resolve(new LeaderElection(true, "l", "ops"), "pod-ns", "kube-ns"))
                .contains("ops");
    }

    @Test
    void thenPodNamespaceThenTheKubeconfigsContext() {
        assertThat(LeaseNamespace.resolve(DEFAULT, "pod-ns", "kube-ns")).contains("pod-ns");
        assertThat(LeaseNamespace.resolve(DEFAULT, "", "kube-ns")).contains("kube-ns");
    }

    @Test
    void withoutAnyNamespaceItAsksForPodNamespace() {
        assertThatThrownBy(() -> LeaseNamespace.resolve(DEFAULT, "", null))
                .isInstanceOf(StartupFailure.class)
                .hasMessageStartingWith("POD_NAMESPACE is not set")
                .hasMessageContaining("set POD_NAMESPACE")
                .hasMessageContaining("setting leader-election.lease-namespace")
                .hasMessageNotContaining("\n");
    }

    @Test
    void noLeaderElectionNeedsNoNamespace() {
        assertThat(LeaseNamespace.resolve(new LeaderElection(false, "l", ""), "", null))
                .isEmpty();
    }
}
