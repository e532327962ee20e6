package dev.seldonj.node.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServiceRefTest {

    @ParameterizedTest
    @CsvSource({
        "iris-main.models:8000, models, iris-main, 8000",
        "iris:9000, ns, iris, 9000",
        "iris, ns, iris, 80",
        "http://iris.models:5001, models, iris, 5001",
        "HTTP://iris.models, models, iris, 80",
        "iris.models.svc:8000, models, iris, 8000",
        "iris.models.svc.cluster.local:8000, models, iris, 8000",
    })
    void readsTheFormsEmissaryAcceptsForAService(String service, String namespace, String name, int port) {
        assertThat(ServiceRef.parse(service, "ns")).isEqualTo(new ServiceRef(namespace, name, port));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.96.0.10:8000",
                "api.example.com:80",
                "iris:http",
                "iris:70000",
                "iris:",
                "",
                "iris/x:80",
                "iris..models:80"
            })
    void refusesWhatIsNoServiceOfThisCluster(String service) {
        assertThatThrownBy(() -> ServiceRef.parse(service, "ns"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("service " + service);
    }

    @Test
    void refusesTlsToTheUpstreamWithTheReason() {
        assertThatThrownBy(() -> ServiceRef.parse("https://iris.models:443", "ns"))
                .hasMessageContaining("https://")
                .hasMessageContaining("not supported");
    }
}
