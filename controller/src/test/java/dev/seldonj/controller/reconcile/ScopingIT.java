package dev.seldonj.controller.reconcile;

import static dev.seldonj.controller.reconcile.MockCluster.get;
import static dev.seldonj.controller.reconcile.MockCluster.sdep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.controller.app.OperatorRunner;
import dev.seldonj.controller.testing.EnableMockApiServer;
import dev.seldonj.controller.testing.Manifests;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Namespace scoping (a list of namespaces, SC#4666) and controller ids (SC#3963): two operators
 * share one API server, each reconciling only its own SeldonDeployments.
 */
@EnableMockApiServer
class ScopingIT {

    static KubernetesClient client;

    private static SeldonDeployment model(String name, String ns, String controllerId) {
        SeldonDeployment sdep = sdep(Manifests.singleModel(name, "", ""), ns);
        if (controllerId != null) {
            sdep.getMetadata().setLabels(Map.of("seldon.io/controller-id", controllerId));
        }
        return client.resource(sdep).create();
    }

    private static boolean reconciled(String ns, String name) {
        return get(client, Deployment.class, ns, name + "-p-0-m") != null;
    }

    @Test
    void eachOperatorReconcilesOnlyItsNamespacesAndItsControllerId() {
        MockCluster.installCrd(client);
        OperatorRunner teamA = MockCluster.operator(client, OperatorConfigLoader.fromYaml("""
                        controller-id: team-a
                        watch-namespaces: [ns-a, ns-b]
                        leader-election: {enabled: false}
                        ambassador: {enabled: false}
                        """));
        OperatorRunner unlabelled = MockCluster.operator(client, OperatorConfigLoader.fromYaml("""
                        watch-namespaces: [ns-a, ns-c]
                        leader-election: {enabled: false}
                        ambassador: {enabled: false}
                        """));
        try {
            // Resources neither operator may touch are created first.
            model("other-team", "ns-a", "team-b");
            model("outside", "ns-d", "team-a");
            model("outside-unlabelled", "ns-d", null);
            model("a-in-b", "ns-b", "team-a");
            model("a-in-a", "ns-a", "team-a");
            model("plain-in-a", "ns-a", null);
            model("plain-in-c", "ns-c", null);
            model("plain-in-b", "ns-b", null);

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> reconciled("ns-b", "a-in-b")
                            && reconciled("ns-a", "a-in-a")
                            && reconciled("ns-a", "plain-in-a")
                            && reconciled("ns-c", "plain-in-c"));

            // Informers only ever list and watch their namespaces and label selector, so the others never arrive.
            assertThat(reconciled("ns-a", "other-team")).isFalse();
            assertThat(reconciled("ns-d", "outside")).isFalse();
            assertThat(reconciled("ns-d", "outside-unlabelled")).isFalse();
            assertThat(reconciled("ns-b", "plain-in-b")).isFalse();
            assertThat(get(client, SeldonDeployment.class, "ns-a", "other-team").getStatus())
                    .isNull();
        } finally {
            teamA.stop();
            unlabelled.stop();
        }
    }
}
