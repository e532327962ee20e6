package dev.seldonj.node.gateway;

import static dev.seldonj.node.gateway.ClusterObjects.grpcMapping;
import static dev.seldonj.node.gateway.ClusterObjects.ports;
import static dev.seldonj.node.gateway.ClusterObjects.restMapping;
import static dev.seldonj.node.gateway.ClusterObjects.service;
import static dev.seldonj.node.gateway.ClusterObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster gateway against fabric8's mock API server (CRUD mode) holding the Mapping CRD stand-in,
 * Mappings, Services and EndpointSlices, with fake pods on 127.0.0.1: routes follow the objects as
 * they come and go, splits, shadows, round-robin, 503 / UNAVAILABLE without a ready endpoint, gRPC
 * routed by the {@code seldon}/{@code namespace} headers. Each test uses its own namespace.
 */
@EnableKubernetesMockClient(crud = true)
class ClusterGatewayIT {

    static KubernetesClient client;

    private static final MethodDescriptor<byte[], byte[]> PREDICT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("seldon.protos.Seldon/Predict")
            .setRequestMarshaller(FakeBackends.BYTES)
            .setResponseMarshaller(FakeBackends.BYTES)
            .build();

    private static ClusterGateway gateway;
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeAll
    static void start() throws IOException {
        CustomResourceDefinition crd = client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .load(MappingCrdTest.repositoryRoot()
                        .resolve(MappingCrdTest.CRD_FILE)
                        .toFile())
                .item();
        client.resource(crd).create();
        gateway = ClusterGateway.start(client, 0, new Random(7));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20));
    }

    private static void create(HasMetadata... objects) {
        for (HasMetadata object : objects) {
            if (object instanceof GenericKubernetesResource mapping) {
                client.genericKubernetesResources(ClusterGateway.MAPPINGS)
                        .inNamespace(mapping.getMetadata().getNamespace())
                        .resource(mapping)
                        .create();
            } else {
                client.resource(object).create();
            }
        }
    }

    private static HttpResponse<String> post(int port, String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"ndarray\":[[1]]}}"))
                            .header("Content-Type", "application/json")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("POST " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Waits until the gateway routes this Mapping to at least one upstream. */
    private static void awaitRouted(ClusterGateway on, String namespace, String mapping) {
        eventually()
                .untilAsserted(() -> assertThat(on.routes().describe())
                        .anyMatch(line -> line.contains("-> " + namespace + "/" + mapping + " (")
                                && !line.contains("-> none (")));
    }

    /** Waits until the gateway has seen all of a Mapping's objects and routes it nowhere, for this reason. */
    private static void awaitUnavailable(String namespace, String mapping, String reason) {
        eventually()
                .untilAsserted(() -> assertThat(gateway.routes().describe())
                        .anyMatch(line ->
                                line.contains("-> " + namespace + "/" + mapping + " (") && line.contains(reason)));
    }

    @Test
    void routesByPrefixRewritingItAndNeverDialsTheClusterIp() throws IOException {
        try (FakeBackends.Http iris = new FakeBackends.Http("iris");
                FakeBackends.Http explainer = new FakeBackends.Http("explainer")) {
            create(
                    service("prefix", "iris-main", 8000, 5001),
                    service("prefix", "iris-main-explainer", 9000, 9001),
                    slice("prefix", "iris-main-x1", "iris-main", ports("http", iris.port()), true, "127.0.0.1"),
                    slice(
                            "prefix",
                            "iris-main-explainer-x1",
                            "iris-main-explainer",
                            ports("http", explainer.port()),
                            true,
                            "127.0.0.1"),
                    restMapping(
                            "prefix",
                            "seldon-prefix-iris-main-rest",
                            "/seldon/prefix/iris/",
                            "iris-main.prefix:8000",
                            null,
                            false),
                    restMapping(
                            "prefix",
                            "seldon-prefix-iris-main-explainer",
                            "/seldon/prefix/iris-explainer/main/",
                            "iris-main-explainer.prefix:9000",
                            null,
                            false));
            awaitRouted(gateway, "prefix", "seldon-prefix-iris-main-explainer");
            awaitRouted(gateway, "prefix", "seldon-prefix-iris-main-rest");

            HttpResponse<String> predict = post(gateway.port(), "/seldon/prefix/iris/api/v1.0/predictions");
            assertThat(predict.statusCode()).isEqualTo(200);
            assertThat(predict.body()).isEqualTo("iris /api/v1.0/predictions");
            assertThat(post(gateway.port(), "/seldon/prefix/iris-explainer/main/api/v1.0/explain")
                            .body())
                    .isEqualTo("explainer /api/v1.0/explain");
            HttpResponse<String> unknown = post(gateway.port(), "/seldon/prefix/other/api/v1.0/predictions");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("/seldon/prefix/iris/");
        }
    }

    @Test
    void aCanaryWithWeight25GetsAQuarterOfTheRequests() throws IOException {
        try (FakeBackends.Http main = new FakeBackends.Http("main");
                FakeBackends.Http canary = new FakeBackends.Http("canary");
                ClusterGateway seeded = ClusterGateway.start(client, 0, new Random(42))) {
            create(
                    service("split", "iris-main", 8000, 5001),
                    service("split", "iris-canary", 8000, 5001),
                    slice("split", "iris-main-x1", "iris-main", ports("http", main.port()), true, "127.0.0.1"),
                    slice("split", "iris-canary-x1", "iris-canary", ports("http", canary.port()), true, "127.0.0.1"),
                    restMapping(
                            "split",
                            "seldon-split-iris-main-rest",
                            "/seldon/split/iris/",
                            "iris-main.split:8000",
                            null,
                            false),
                    restMapping(
                            "split",
                            "seldon-split-iris-canary-rest",
                            "/seldon/split/iris/",
                            "iris-canary.split:8000",
                            25,
                            false));
            awaitRouted(seeded, "split", "seldon-split-iris-main-rest");
            awaitRouted(seeded, "split", "seldon-split-iris-canary-rest");

            int toCanary = 0;
            for (int i = 0; i < 1000; i++) {
                HttpResponse<String> response = post(seeded.port(), "/seldon/split/iris/api/v1.0/predictions");
                assertThat(response.statusCode()).isEqualTo(200);
                toCanary += response.body().startsWith("canary ") ? 1 : 0;
            }
            assertThat(toCanary).isBetween(200, 300);
            assertThat(main.requests.get() + canary.requests.get()).isEqualTo(1000);
        }
    }

    @Test
    void aShadowGetsACopyOfEveryRequestAndItsAnswersAreDropped() throws IOException {
        try (FakeBackends.Http main = new FakeBackends.Http("main");
                FakeBackends.Http mirror = new FakeBackends.Http("mirror")) {
            create(
                    service("shadow", "iris-main", 8000, 5001),
                    service("shadow", "iris-mirror", 8000, 5001),
                    slice("shadow", "iris-main-x1", "iris-main", ports("http", main.port()), true, "127.0.0.1"),
                    slice("shadow", "iris-mirror-x1", "iris-mirror", ports("http", mirror.port()), true, "127.0.0.1"),
                    restMapping(
                            "shadow",
                            "seldon-shadow-iris-main-rest",
                            "/seldon/shadow/iris/",
                            "iris-main.shadow:8000",
                            null,
                            false),
                    restMapping(
                            "shadow",
                            "seldon-shadow-iris-mirror-rest",
                            "/seldon/shadow/iris/",
                            "iris-mirror.shadow:8000",
                            0,
                            true));
            awaitRouted(gateway, "shadow", "seldon-shadow-iris-main-rest");
            awaitRouted(gateway, "shadow", "seldon-shadow-iris-mirror-rest");

            for (int i = 0; i < 20; i++) {
                assertThat(post(gateway.port(), "/seldon/shadow/iris/api/v1.0/predictions")
                                .body())
                        .startsWith("main ");
            }
            eventually().untilAsserted(() -> assertThat(mirror.requests.get()).isEqualTo(20));
            assertThat(main.requests.get()).isEqualTo(20);
        }
    }

    @Test
    void severalReadyPodsTakeTurns() throws IOException {
        try (FakeBackends.Http a = new FakeBackends.Http("a");
                FakeBackends.Http b = new FakeBackends.Http("b")) {
            // Two pods of one Service, each in its own slice with its own port (one machine, one address).
            create(
                    service("turns", "iris-main", 8000, 5001),
                    slice("turns", "iris-main-x1", "iris-main", ports("http", a.port()), true, "127.0.0.1"),
                    slice("turns", "iris-main-x2", "iris-main", ports("http", b.port()), true, "127.0.0.1"),
                    restMapping(
                            "turns",
                            "seldon-turns-iris-main-rest",
                            "/seldon/turns/iris/",
                            "iris-main.turns:8000",
                            null,
                            false));
            eventually()
                    .untilAsserted(() -> assertThat(gateway.routes().describe())
                            .anyMatch(l -> l.contains("turns/seldon-turns-iris-main-rest")
                                    && l.contains(":" + a.port())
                                    && l.contains(":" + b.port())));
            for (int i = 0; i < 10; i++) {
                post(gateway.port(), "/seldon/turns/iris/api/v1.0/predictions");
            }
            assertThat(a.requests.get()).isEqualTo(5);
            assertThat(b.requests.get()).isEqualTo(5);
        }
    }

    @Test
    void aRouteAppearsWithItsObjectsAnswers503WithoutEndpointsAndGoesWithItsMapping() throws IOException {
        try (FakeBackends.Http late = new FakeBackends.Http("late")) {
            String path = "/seldon/late/iris/api/v1.0/predictions";
            assertThat(post(gateway.port(), path).statusCode()).isEqualTo(404);

            GenericKubernetesResource mapping = restMapping(
                    "late", "seldon-late-iris-main-rest", "/seldon/late/iris/", "iris-main.late:8000", null, false);
            var slice = slice("late", "iris-main-x1", "iris-main", ports("http", late.port()), true, "127.0.0.1");
            create(service("late", "iris-main", 8000, 5001), slice, mapping);
            eventually()
                    .untilAsserted(() ->
                            assertThat(post(gateway.port(), path).body()).isEqualTo("late /api/v1.0/predictions"));

            client.resource(slice).delete();
            eventually().untilAsserted(() -> {
                HttpResponse<String> response = post(gateway.port(), path);
                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body())
                        .contains("Mapping late/seldon-late-iris-main-rest")
                        .contains("iris-main.late:8000")
                        .contains("no EndpointSlice");
            });

            client.genericKubernetesResources(ClusterGateway.MAPPINGS)
                    .inNamespace("late")
                    .withName(mapping.getMetadata().getName())
                    .delete();
            eventually()
                    .untilAsserted(() ->
                            assertThat(post(gateway.port(), path).statusCode()).isEqualTo(404));
        }
    }

    @Test
    void noReadyEndpointIsA503NamingTheMappingAndTheServiceAtOnce() {
        create(
                service("unready", "iris-main", 8000, 5001),
                slice("unready", "iris-main-x1", "iris-main", ports("http", 8000), false, "127.0.0.1"),
                restMapping(
                        "unready",
                        "seldon-unready-iris-main-rest",
                        "/seldon/unready/iris/",
                        "iris-main.unready:8000",
                        null,
                        false));
        awaitUnavailable("unready", "seldon-unready-iris-main-rest", "not ready");

        long start = System.nanoTime();
        HttpResponse<String> response = post(gateway.port(), "/seldon/unready/iris/api/v1.0/predictions");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body())
                .contains("Mapping unready/seldon-unready-iris-main-rest")
                .contains("iris-main.unready:8000")
                .contains("no ready endpoint")
                .contains("1 endpoint(s) not ready");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anUnreadableMappingLeavesTheOthersServing() throws IOException {
        try (FakeBackends.Http good = new FakeBackends.Http("good")) {
            create(
                    service("broken", "iris-main", 8000, 5001),
                    slice("broken", "iris-main-x1", "iris-main", ports("http", good.port()), true, "127.0.0.1"),
                    ClusterObjects.mapping(
                            "broken",
                            "seldon-broken-bad",
                            Map.of(
                                    "prefix",
                                    "/seldon/broken/bad/",
                                    "service",
                                    "iris-main.broken:8000",
                                    "weight",
                                    "most")),
                    restMapping(
                            "broken",
                            "seldon-broken-iris-main-rest",
                            "/seldon/broken/iris/",
                            "iris-main.broken:8000",
                            null,
                            false));
            eventually()
                    .untilAsserted(() -> assertThat(post(gateway.port(), "/seldon/broken/iris/x")
                                    .body())
                            .isEqualTo("good /x"));
            assertThat(gateway.routes().restPrefixes()).doesNotContain("/seldon/broken/bad/");
        }
    }

    @Test
    void grpcIsRoutedByTheSeldonAndNamespaceHeadersOnTheSamePort() throws Exception {
        try (FakeBackends.Grpc iris = new FakeBackends.Grpc("iris");
                FakeBackends.Grpc wine = new FakeBackends.Grpc("wine")) {
            create(
                    service("rpc", "iris-main", 8000, 5001),
                    service("rpc", "wine-main", 8000, 5001),
                    service("rpc", "down-main", 8000, 5001),
                    slice("rpc", "iris-main-x1", "iris-main", ports("grpc", iris.port()), true, "127.0.0.1"),
                    slice("rpc", "wine-main-x1", "wine-main", ports("grpc", wine.port()), true, "127.0.0.1"),
                    slice("rpc", "down-main-x1", "down-main", ports("grpc", 5001), false, "127.0.0.1"),
                    grpcMapping("rpc", "seldon-rpc-iris-main-grpc", "iris", "iris-main.rpc:5001"),
                    grpcMapping("rpc", "seldon-rpc-wine-main-grpc", "wine", "wine-main.rpc:5001"),
                    grpcMapping("rpc", "seldon-rpc-down-main-grpc", "down", "down-main.rpc:5001"));
            awaitRouted(gateway, "rpc", "seldon-rpc-iris-main-grpc");
            awaitRouted(gateway, "rpc", "seldon-rpc-wine-main-grpc");
            awaitUnavailable("rpc", "seldon-rpc-down-main-grpc", "not ready");

            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.port())
                    .usePlaintext()
                    .build();
            try {
                assertThat(predict(channel, "iris", "rpc")).isEqualTo("iris");
                assertThat(predict(channel, "wine", "rpc")).isEqualTo("wine");
                assertThatThrownBy(() -> predict(channel, "iris", "elsewhere"))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getStatus().getDescription())
                                    .contains("no gRPC Mapping matches /seldon.protos.Seldon/Predict");
                        });
                assertThatThrownBy(() -> predict(channel, "down", "rpc"))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getStatus().getDescription())
                                    .contains("Mapping rpc/seldon-rpc-down-main-grpc")
                                    .contains("down-main.rpc:5001")
                                    .contains("no ready endpoint");
                        });
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static String predict(ManagedChannel channel, String seldon, String namespace) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("seldon", Metadata.ASCII_STRING_MARSHALLER), seldon);
        headers.put(Metadata.Key.of("namespace", Metadata.ASCII_STRING_MARSHALLER), namespace);
        var intercepted = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        byte[] answer = ClientCalls.blockingUnaryCall(
                intercepted,
                PREDICT,
                CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                "{}".getBytes(StandardCharsets.UTF_8));
        return new String(answer, StandardCharsets.UTF_8);
    }
}
