package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * TRACING=1 in the Java wrapper: a gRPC call continues the caller's trace (the engine's step span, in
 * traceparent or uber-trace-id) and the component's span reaches a real Jaeger ({@code make tracing-tools}),
 * read back through its query API; a failing call is recorded as one. REST calls do the same through {@link WrapperTracing#call}.
 */
class WrapperTracingIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void grpcCallsContinueTheCallersTraceInJaeger() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        assertThat(root.resolve(".tools/tracing/bin/jaeger"))
                .as("run make tracing-tools (make test does)")
                .exists();
        int otlp = freePort();
        int query = freePort();
        Path log = Files.createTempFile("jaeger", ".log");
        Process jaeger = new ProcessBuilder(
                        root.resolve("ci/tracing/jaeger.sh").toString(), String.valueOf(otlp), String.valueOf(query))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        SeldonServer server = null;
        ManagedChannel channel = null;
        try {
            awaitJaeger(jaeger, query, log);
            WrapperConfig config = WrapperConfig.ephemeral().withUnit("doubler", "seldonj/doubler:0.1.0");
            WrapperTracing tracing = WrapperTracing.fromEnv(
                    Map.of(
                            "TRACING",
                            "1",
                            "OTEL_EXPORTER_OTLP_ENDPOINT",
                            "http://127.0.0.1:" + otlp,
                            "OTEL_BSP_SCHEDULE_DELAY",
                            "100",
                            "JAEGER_SAMPLER_TYPE",
                            "const",
                            "JAEGER_SAMPLER_PARAM",
                            "1"),
                    config);
            server = SeldonServer.start(new SeldonServerIT.Doubler(), config, tracing);
            channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                    .usePlaintext()
                    .build();

            String traceId = "0af7651916cd43dd8448eb211c80319c";
            Metadata w3c = new Metadata();
            w3c.put(
                    Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
                    "00-" + traceId + "-b7ad6b7169203331-01");
            ModelGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(w3c))
                    .predict(SeldonMessage.newBuilder()
                            .setData(DefaultData.newBuilder()
                                    .setTensor(Tensor.newBuilder()
                                            .addShape(1)
                                            .addShape(1)
                                            .addValues(2)))
                            .build());
            JsonNode span = awaitSpan(query, traceId);
            assertThat(span.path("operationName").asText()).isEqualTo("Predict");
            assertThat(parent(span)).isEqualTo("b7ad6b7169203331");
            assertThat(tags(span)).containsEntry("span.kind", "server").containsEntry("rpc.grpc.status_code", "0");

            // REST: the same, through the Netty front door's hook.
            String restTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
            HttpResponse<String> rest = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + "/predict"))
                            .header("Content-Type", "application/json")
                            .header("traceparent", "00-" + restTrace + "-00f067aa0ba902b7-01")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"ndarray\":[[2]]}}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(rest.statusCode()).isEqualTo(200);
            JsonNode restSpan = awaitSpan(query, restTrace);
            assertThat(restSpan.path("operationName").asText()).isEqualTo("predict");
            assertThat(parent(restSpan)).isEqualTo("00f067aa0ba902b7");
            assertThat(tags(restSpan)).containsEntry("span.kind", "server");

            // Seldon's executor's default header, and a model that crashes.
            String jaegerTrace = "0000000000000000a3ce929d0e0e4736";
            Metadata uber = new Metadata();
            uber.put(
                    Metadata.Key.of("uber-trace-id", Metadata.ASCII_STRING_MARSHALLER),
                    "a3ce929d0e0e4736:00f067aa0ba902b7:0:1");
            var stub = ModelGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(uber));
            assertThatThrownBy(() -> stub.predict(
                            SeldonMessage.newBuilder().setStrData("boom").build()))
                    .isInstanceOf(StatusRuntimeException.class);
            JsonNode failed = awaitSpan(query, jaegerTrace);
            assertThat(parent(failed)).isEqualTo("00f067aa0ba902b7");
            assertThat(tags(failed))
                    .containsEntry("rpc.grpc.status_code", "13")
                    .containsEntry("otel.status_code", "ERROR");
        } finally {
            if (channel != null) {
                channel.shutdownNow();
            }
            if (server != null) {
                server.close();
            }
            jaeger.destroy();
            if (!jaeger.waitFor(10, TimeUnit.SECONDS)) {
                jaeger.destroyForcibly().waitFor();
            }
            Files.deleteIfExists(log);
        }
    }

    @Test
    void offUnlessTracingIsSetAndJaegerVariablesMapOntoOpenTelemetrys() {
        WrapperConfig config = WrapperConfig.ephemeral();
        assertThat(WrapperTracing.fromEnv(Map.of(), config).enabled()).isFalse();
        Map<String, String> p = WrapperTracing.properties(
                Map.of(
                        "JAEGER_AGENT_HOST",
                        "agent",
                        "JAEGER_SERVICE_NAME",
                        "svc",
                        "JAEGER_SAMPLER_TYPE",
                        "probabilistic",
                        "JAEGER_SAMPLER_PARAM",
                        "0.2"),
                "node");
        assertThat(p)
                .containsEntry("otel.exporter.otlp.endpoint", "http://agent:4318")
                .containsEntry("otel.service.name", "svc")
                .containsEntry("otel.traces.sampler", "parentbased_traceidratio")
                .containsEntry("otel.traces.sampler.arg", "0.2");
        assertThat(WrapperTracing.properties(
                        Map.of("OTEL_SERVICE_NAME", "otel-svc", "JAEGER_SERVICE_NAME", "svc"), "node"))
                .containsEntry("otel.service.name", "otel-svc");
        assertThatThrownBy(() -> WrapperTracing.properties(Map.of("JAEGER_SAMPLER_TYPE", "adaptive"), "node"))
                .hasMessageContaining("JAEGER_SAMPLER_TYPE 'adaptive'");
    }

    private void awaitJaeger(Process jaeger, int query, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!jaeger.isAlive()) {
                throw new AssertionError("Jaeger exited: " + Files.readString(log));
            }
            try {
                if (http.send(
                                        HttpRequest.newBuilder(
                                                        URI.create("http://127.0.0.1:" + query + "/api/services"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Jaeger did not start in 30 s: " + Files.readString(log));
    }

    private JsonNode awaitSpan(int query, String traceId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + query + "/api/traces/" + traceId))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode spans = JSON.readTree(r.body()).path("data").path(0).path("spans");
                if (spans.size() > 0) {
                    return spans.get(0);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no span of trace " + traceId + " in Jaeger after 20 s");
    }

    private static String parent(JsonNode span) {
        for (JsonNode ref : span.path("references")) {
            if (ref.path("refType").asText().equals("CHILD_OF")) {
                return ref.path("spanID").asText();
            }
        }
        return null;
    }

    private static Map<String, String> tags(JsonNode span) {
        Map<String, String> tags = new HashMap<>();
        for (JsonNode t : span.path("tags")) {
            tags.put(t.path("key").asText(), t.path("value").asText());
        }
        return tags;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
