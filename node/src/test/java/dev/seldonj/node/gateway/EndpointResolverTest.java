package dev.seldonj.node.gateway;

import static dev.seldonj.node.gateway.ClusterObjects.ports;
import static dev.seldonj.node.gateway.ClusterObjects.service;
import static dev.seldonj.node.gateway.ClusterObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.local.gateway.Endpoints;
import dev.seldonj.local.gateway.Upstream;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointResolverTest {

    private static final ServiceRef IRIS_HTTP = new ServiceRef("models", "iris", 8000);

    private static Endpoints resolve(List<Service> services, List<EndpointSlice> slices, ServiceRef ref) {
        return new EndpointResolver(services, slices).resolve(ref);
    }

    @Test
    void aServicePortGoesToTheReadyPodsAtTheSlicePortOfTheSameNameNeverTheClusterIp() {
        Endpoints endpoints = resolve(
                List.of(service("models", "iris", 8000, 5001)),
                List.of(slice(
                        "models",
                        "iris-abc",
                        "iris",
                        Map.of("http", 8000, "grpc", 5001),
                        true,
                        "10.244.100.7",
                        "10.244.100.5")),
                IRIS_HTTP);
        assertThat(endpoints.all())
                .containsExactly(new Upstream("10.244.100.5", 8000), new Upstream("10.244.100.7", 8000));
        assertThat(resolve(
                                List.of(service("models", "iris", 8000, 5001)),
                                List.of(slice(
                                        "models",
                                        "iris-abc",
                                        "iris",
                                        Map.of("http", 8000, "grpc", 5001),
                                        true,
                                        "10.244.100.5")),
                                new ServiceRef("models", "iris", 5001))
                        .all())
                .containsExactly(new Upstream("10.244.100.5", 5001));
    }

    @Test
    void aNamedTargetPortIsTheNumberEachSliceCarries() {
        Service named = new ServiceBuilder(service("models", "iris", 8000, 5001))
                .editSpec()
                .withPorts(new ServicePortBuilder()
                        .withName("web")
                        .withPort(8000)
                        .withTargetPort(new IntOrString("http"))
                        .build())
                .endSpec()
                .build();
        // Two pods whose container names port "http" differently: one slice each, as Kubernetes groups them.
        Endpoints endpoints = resolve(
                List.of(named),
                List.of(
                        slice("models", "iris-a", "iris", ports("web", 9000), true, "10.244.100.5"),
                        slice("models", "iris-b", "iris", ports("web", 9001), true, "10.244.100.6")),
                IRIS_HTTP);
        assertThat(endpoints.all())
                .containsExactly(new Upstream("10.244.100.5", 9000), new Upstream("10.244.100.6", 9001));
        // A hand-written slice that names the targetPort instead of the Service port works too.
        assertThat(resolve(
                                List.of(named),
                                List.of(slice("models", "iris-c", "iris", ports("http", 9002), true, "10.244.100.8")),
                                IRIS_HTTP)
                        .all())
                .containsExactly(new Upstream("10.244.100.8", 9002));
    }

    @Test
    void anUnnamedSinglePortMatchesAnUnnamedSlicePort() {
        Service single = new ServiceBuilder()
                .withNewMetadata()
                .withNamespace("models")
                .withName("iris")
                .endMetadata()
                .withNewSpec()
                .withPorts(new ServicePortBuilder()
                        .withPort(8000)
                        .withTargetPort(new IntOrString(9000))
                        .build())
                .endSpec()
                .build();
        EndpointSlice slice = new EndpointSliceBuilder(
                        slice("models", "iris-a", "iris", Map.of(), true, "10.244.100.5"))
                .addNewPort()
                .withPort(9100)
                .withProtocol("TCP")
                .endPort()
                .build();
        assertThat(resolve(List.of(single), List.of(slice), IRIS_HTTP).all())
                .containsExactly(new Upstream("10.244.100.5", 9100));
        // No slice port at all: the numeric targetPort.
        assertThat(resolve(
                                List.of(single),
                                List.of(slice("models", "iris-a", "iris", Map.of(), true, "10.244.100.5")),
                                IRIS_HTTP)
                        .all())
                .containsExactly(new Upstream("10.244.100.5", 9000));
    }

    @Test
    void endpointsNotReadyAreLeftOutAndNoneReadyIsAReason() {
        Service iris = service("models", "iris", 8000, 5001);
        EndpointSlice mixed = new EndpointSliceBuilder(
                        slice("models", "iris-a", "iris", ports("http", 8000), false, "10.244.100.9"))
                .addNewEndpoint()
                .withAddresses("10.244.100.5")
                .endEndpoint()
                .build(); // no conditions: ready
        assertThat(resolve(List.of(iris), List.of(mixed), IRIS_HTTP).all())
                .containsExactly(new Upstream("10.244.100.5", 8000));

        Endpoints none = resolve(
                List.of(iris),
                List.of(slice("models", "iris-a", "iris", ports("http", 8000), false, "10.244.100.5", "10.244.100.6")),
                IRIS_HTTP);
        assertThat(none.next()).isEmpty();
        assertThat(none.unavailableReason())
                .isEqualTo(
                        "Service models/iris port 8000 has no ready endpoint (1 EndpointSlice(s), 2 endpoint(s) not ready)");
    }

    @Test
    void eachMissingLinkIsNamed() {
        Service iris = service("models", "iris", 8000, 5001);
        assertThat(resolve(List.of(), List.of(), IRIS_HTTP).unavailableReason()).isEqualTo("no Service models/iris");
        assertThat(resolve(List.of(iris), List.of(), new ServiceRef("models", "iris", 80))
                        .unavailableReason())
                .isEqualTo("Service models/iris has no port 80 (ports: [8000, 5001])");
        assertThat(resolve(
                                List.of(iris),
                                List.of(slice("other", "iris-a", "iris", ports("http", 8000), true, "10.244.100.5")),
                                IRIS_HTTP)
                        .unavailableReason())
                .isEqualTo("Service models/iris has no EndpointSlice (kubernetes.io/service-name=iris)");
        Service external = new ServiceBuilder(iris)
                .editSpec()
                .withType("ExternalName")
                .withExternalName("example.com")
                .endSpec()
                .build();
        assertThat(resolve(List.of(external), List.of(), IRIS_HTTP).unavailableReason())
                .contains("ExternalName");
    }

    @Test
    void fqdnSlicesAreIgnoredAndAPodInTwoSlicesCountsOnce() {
        EndpointSlice fqdn = new EndpointSliceBuilder(
                        slice("models", "iris-f", "iris", ports("http", 8000), true, "pod.example"))
                .withAddressType("FQDN")
                .build();
        Endpoints endpoints = resolve(
                List.of(service("models", "iris", 8000, 5001)),
                List.of(
                        fqdn,
                        slice("models", "iris-a", "iris", ports("http", 8000), true, "10.244.100.5"),
                        slice("models", "iris-b", "iris", ports("http", 8000), true, "10.244.100.5")),
                IRIS_HTTP);
        assertThat(endpoints.all()).containsExactly(new Upstream("10.244.100.5", 8000));
    }

    @Test
    void readyEndpointsTakeTurns() {
        Endpoints endpoints = resolve(
                List.of(service("models", "iris", 8000, 5001)),
                List.of(slice("models", "iris-a", "iris", ports("http", 8000), true, "10.244.100.5", "10.244.100.6")),
                IRIS_HTTP);
        assertThat(List.of(
                        endpoints.next().orElseThrow(),
                        endpoints.next().orElseThrow(),
                        endpoints.next().orElseThrow()))
                .extracting(Upstream::host)
                .containsExactly("10.244.100.5", "10.244.100.6", "10.244.100.5");
    }
}
