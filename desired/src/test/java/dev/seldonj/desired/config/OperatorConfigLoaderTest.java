package dev.seldonj.desired.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.model.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigLoaderTest {

    static String chartFile() throws IOException {
        try (InputStream in = OperatorConfigLoaderTest.class.getResourceAsStream("/chart-controller.yaml")) {
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
        OperatorConfig c = OperatorConfigLoader.fromYaml(
                "predictor-servers: {sklearn-server: {protocols: {seldon: {image: mine/sk, default-image-version: '9'}}}}");
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
        OperatorConfig c = OperatorConfigLoader.fromYaml("watch-namespaces: [a, b]\nengine: {image: mine/engine:2}");
        assertThat(c.watchNamespaces()).containsExactly("a", "b");
        assertThat(c.engine().image()).isEqualTo("mine/engine:2");
        assertThat(c.engine().httpPort()).isEqualTo(8000);
        assertThat(OperatorConfigLoader.fromYaml("default-user-id: null").defaultUserId())
                .isNull();
    }

    @Test
    void unknownKeysAndWrongTypesNameTheKey() {
        assertThatThrownBy(() -> OperatorConfigLoader.fromYaml("engine: {imagee: x}"))
                .hasMessage("engine.imagee: unknown key");
        assertThatThrownBy(() -> OperatorConfigLoader.fromYaml("engine: {http-port: eighty}"))
                .hasMessageStartingWith("engine.http-port:");
        assertThatThrownBy(() -> OperatorConfigLoader.fromYaml("watch-namespaces: [a, {b: c}]"))
                .hasMessageStartingWith("watch-namespaces[1]:");
        assertThatThrownBy(() -> OperatorConfigLoader.fromYaml("- 1"))
                .hasMessage("expected a map of settings, found array");
        assertThatThrownBy(() -> OperatorConfigLoader.fromYaml("engine: {image: [}"))
                .hasMessageStartingWith("not valid YAML at line 1")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aSettingsFileIsReadOnceAndItsProblemsNameTheFileAndTheKey(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("controller.yaml"), "controller-id: blue\nkeda: {enabled: true}\n");
        OperatorConfig c = OperatorConfigLoader.fromFile(file);
        assertThat(c.controllerId()).isEqualTo("blue");
        assertThat(c.keda().enabled()).isTrue();
        assertThat(c.engine()).isEqualTo(OperatorConfig.defaults().engine());

        assertThat(OperatorConfigLoader.fromFile(Files.writeString(dir.resolve("empty.yaml"), "# nothing set\n")))
                .isEqualTo(OperatorConfig.defaults());

        Path invalid = Files.writeString(dir.resolve("invalid.yaml"), "engine:\n  http-port: eighty\n");
        assertThatThrownBy(() -> OperatorConfigLoader.fromFile(invalid))
                .isInstanceOf(OperatorConfigLoader.InvalidConfigException.class)
                .hasMessageStartingWith(invalid + ": engine.http-port: ");

        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> OperatorConfigLoader.fromFile(missing)).hasMessage(missing + ": no such file");
        assertThatThrownBy(() -> OperatorConfigLoader.fromFile(dir)).hasMessageStartingWith(dir + ": cannot read: ");
    }
}
