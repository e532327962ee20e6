package dev.seldonj.controller.app;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.controller.reconcile.MockCluster;
import dev.seldonj.controller.testing.EnableMockApiServer;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

/** A feature whose CRD the cluster lacks stops the start with the setting that turns it off. */
@EnableMockApiServer
class ApiPreflightIT {

    static KubernetesClient client;

    @Test
    void aMissingFeatureCrdIsNamedWithTheSettingThatTurnsItOff() {
        MockCluster.installCrd(client);
        var config = OperatorConfigLoader.fromYaml("leader-election: {enabled: false}\nistio: {enabled: true}");
        MockCluster.installForeignCrd(client, "getambassador.io", "v3alpha1", "Mapping", "mappings");
        assertThatThrownBy(() -> ApiPreflight.check(client, config, OperatorRunner.controllerIdSelector("")))
                .isInstanceOf(StartupFailure.class)
                .hasMessage(
                        "the Kubernetes API server at " + client.getMasterUrl() + " does not serve "
                                + "networking.istio.io/v1beta1 VirtualService: install Istio's CRDs, or set istio.enabled: false");
    }
}
