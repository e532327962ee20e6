package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WrapperConfigTest {

    @Test
    void defaultsAreThePortsTheOperatorSets() {
        WrapperConfig c = WrapperConfig.defaults();
        assertThat(c.httpPort()).isEqualTo(9000);
        assertThat(c.grpcPort()).isEqualTo(9500);
        assertThat(c.metricsPort()).isEqualTo(6000);
        assertThat(c.metricsPath()).isEqualTo("/prometheus");
        assertThat(c.unitId()).isEmpty();
        assertThat(c.unitImage()).isEqualTo("NOT_IMPLEMENTED:NOT_IMPLEMENTED");
        assertThat(c.includeMetricsInResponse()).isFalse();
        assertThat(c.parameters().all()).isEmpty();
    }

    @Test
    void readsTheOperatorsEnvironment() {
        WrapperConfig c = WrapperConfig.fromEnv(Map.of(
                "PREDICTIVE_UNIT_HTTP_SERVICE_PORT", "9001",
                "PREDICTIVE_UNIT_GRPC_SERVICE_PORT", "9501",
                "PREDICTIVE_UNIT_METRICS_SERVICE_PORT", "6001",
                "PREDICTIVE_UNIT_METRICS_ENDPOINT", "metrics",
                "PREDICTIVE_UNIT_ID", "classifier",
                "PREDICTIVE_UNIT_IMAGE", "registry:5000/seldonio/mock_classifier:1.0",
                "PREDICTOR_LABELS", "{\"version\":\"v2\"}",
                "INCLUDE_METRICS_IN_CLIENT_RESPONSE", "True",
                "PREDICTIVE_UNIT_PARAMETERS", "[{\"name\":\"n\",\"value\":\"3\",\"type\":\"INT\"}]"));
        assertThat(c.httpPort()).isEqualTo(9001);
        assertThat(c.grpcPort()).isEqualTo(9501);
        assertThat(c.metricsPort()).isEqualTo(6001);
        assertThat(c.metricsPath()).isEqualTo("/metrics");
        assertThat(c.imageName()).isEqualTo("registry:5000/seldonio/mock_classifier");
        assertThat(c.imageVersion()).isEqualTo("1.0");
        assertThat(c.predictorVersion()).isEqualTo("v2");
        assertThat(c.includeMetricsInResponse()).isTrue();
        assertThat(c.parameters().getInt("n", 0)).isEqualTo(3);
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> WrapperConfig.fromEnv(Map.of("PREDICTIVE_UNIT_HTTP_SERVICE_PORT", "http")))
                .hasMessage("PREDICTIVE_UNIT_HTTP_SERVICE_PORT must be an integer, got \"http\"");
        assertThatThrownBy(() -> WrapperConfig.fromEnv(Map.of("PREDICTIVE_UNIT_GRPC_SERVICE_PORT", "70000")))
                .hasMessage("PREDICTIVE_UNIT_GRPC_SERVICE_PORT must be a port (0-65535), got 70000");
        assertThatThrownBy(() -> WrapperConfig.fromEnv(Map.of("PREDICTOR_LABELS", "v1")))
                .hasMessageContaining("PREDICTOR_LABELS must be a JSON object");
    }
}
