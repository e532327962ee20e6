package dev.seldonj.desired.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.model.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigLoaderTest {

    static String chartFile() throws IOException {
        try (InputStream in = OperatorConfigLoaderTest.class.getResourceAsStream("/chart-application.yml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void defaultsMatchTheChartContract() {
        OperatorConfig c = OperatorConfig.defaults();
        assertThat(c.controllerId()).isEmpty();
        assertThat(c.watchNamespaces()).isEmpty();
        assertThat(c.engine().image()).isEqualTo("seldonj/engine:0.1.0");
        assertThat(c.engine().readinessProbe().initialDelaySeconds()).isZero();
        assertThat(c.engine().startupProbe().failureThreshold()).isEqualTo(60);
        assertThat(c.defaultUserId()).isEqualTo(8888L);
        assertThat(c.webhook().port()).isEqualTo(4443);
        assertThat(c.predictorServers().names()).contains("SKLEARN_SERVER", "TEMPO_SERVER");
    }

    @Test
    void acceptsTheChartFileVerbatimKeepingImplementationKeys() throws IOException {
        OperatorConfig c = OperatorConfigLoader.fromYaml(chartFile());
        assertThat(c.leaderElection().leaseName()).isEqualTo("seldon-core-seldon-core-operator-leader");
        assertThat(c.leaderElection().leaseNamespace()).isEqualTo("seldon-system");
        assertThat(c.engine().startupProbe().initialDelaySeconds()).isZero(); // absent in the file: the default
        assertThat(c.predictorServers().names()).contains("SKLEARN_SERVER", "MY_CUSTOM_SERVER");
        assertThat(c.predictorServers().image("MY_CUSTOM_SERVER", Protocol.SELDON))
                .contains("example/custom:2");
        assertThat(c.validationContext().prepackagedServers()).contains("MY_CUSTOM_SERVER");
    }

    @Test
    void normalisedKeysMapBackToImplementationNames() {
        OperatorConfig c = OperatorConfigLoader.fromMap(Map.of(
                "predictor-servers",
                Map.of(
                        "sklearn-server",
                        Map.of(
                                "protocols",
                                Map.of("seldon", Map.of("image", "mine/sk", "default-image-version", "9"))))));
        assertThat(c.predictorServers().image("SKLEARN_SERVER", Protocol.SELDON))
                .contains("mine/sk:9");
    }

    @Test
    void protocolFallbacksAsSeldon() {
        PredictorServers servers = OperatorConfig.defaults().predictorServers();
        assertThat(servers.image("SKLEARN_SERVER", null)).contains("seldonj/sklearnserver:0.1.0");
        assertThat(servers.image("SKLEARN_SERVER", Protocol.KFSERVING)).contains("seldonio/mlserver:1.3.5-sklearn");
        assertThat(servers.image("TRITON_SERVER", Protocol.KFSERVING))
                .contains("nvcr.io/nvidia/tritonserver:21.08-py3");
        assertThat(servers.image("TRITON_SERVER", Protocol.SELDON)).isEmpty();
        assertThat(servers.image("NO_SUCH_SERVER", Protocol.SELDON)).isEmpty();
    }

    @Test
    void overridesMergeOverDefaultsKeyByKey() {
        OperatorConfig c = OperatorConfigLoader.fromMap(Map.of(
                "watch-namespaces", List.of("a", "b"),
                "engine", Map.of("image", "mine/engine:2")));
        assertThat(c.watchNamespaces()).containsExactly("a", "b");
        assertThat(c.engine().image()).isEqualTo("mine/engine:2");
        assertThat(c.engine().httpPort()).isEqualTo(8000);
        assertThat(OperatorConfigLoader.fromYaml("seldon: {controller: {default-user-id: null}}")
                        .defaultUserId())
                .isNull();
    }

    @Test
    void unknownKeysAndWrongTypesNameTheKey() {
        assertThatThrownBy(() -> OperatorConfigLoader.fromMap(Map.of("engine", Map.of("imagee", "x"))))
                .hasMessage("seldon.controller.engine.imagee: unknown key");
        assertThatThrownBy(() -> OperatorConfigLoader.fromMap(Map.of("engine", Map.of("http-port", "eighty"))))
                .hasMessageStartingWith("seldon.controller.engine.http-port:");
        assertThatThrownBy(() -> OperatorConfigLoader.fromYaml("seldon: {controller: [1]}"))
                .hasMessageContaining("expected a map");
    }
}
