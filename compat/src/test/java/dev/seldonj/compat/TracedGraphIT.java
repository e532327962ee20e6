package dev.seldonj.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.model.EndpointType;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.components.Components;
import dev.seldonj.wrapper.ComponentParameters;
import dev.seldonj.wrapper.SeldonServer;
import dev.seldonj.wrapper.WrapperConfig;
import dev.seldonj.wrapper.WrapperTracing;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One connected trace across processes: a client's traceparent → the engine's jar (REST in) → an output
 * transformer and a transformer in this project's Python wrapper over REST → a model in the Java wrapper over
 * gRPC, every one with tracing on and exporting over OTLP to one real Jaeger ({@code make tracing-tools}).
 */
class TracedGraphIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void threeNodeGraphOverRestAndGrpcYieldsOneConnectedTrace() throws Exception {
        Path root = Path.of(System.getProperty("seldonj.root")).toAbsolutePath();
        assertThat(root.resolve(".tools/tracing/bin/jaeger"))
                .as("run make tracing-tools (make test does)")
                .exists();
        int otlp = Processes.freePort();
        int query = Processes.freePort();
        Path log = Files.createTempFile("jaeger", ".log");
        Process jaeger = new ProcessBuilder(
                        root.resolve("ci/tracing/jaeger.sh").toString(), String.valueOf(otlp), String.valueOf(query))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Map<String, String> tracing = Map.of(
                "TRACING",
                "1",
                "OTEL_EXPORTER_OTLP_ENDPOINT",
                "http://127.0.0.1:" + otlp,
                "OTEL_BSP_SCHEDULE_DELAY",
                "100");
        WrapperConfig modelConfig = WrapperConfig.ephemeral().withUnit("model", "seldonj/mock-classifier:0.1.0");
        try (AutoCloseable stopJaeger = () -> Processes.destroyTree(jaeger);
                PythonMicroservice out = PythonMicroservice.builder("ContractOutputTransformer")
                        .wrapper(PythonWrapper.SELDONJ)
                        .serviceType("OUTPUT_TRANSFORMER")
                        .unitId("out")
                        .env(tracing)
                        .env("JAEGER_SERVICE_NAME", "out")
                        .start();
                PythonMicroservice transformer = PythonMicroservice.builder("MeanTransformer")
                        .wrapper(PythonWrapper.SELDONJ)
                        .serviceType("TRANSFORMER")
                        .unitId("transformer")
                        .env(tracing)
                        .env("JAEGER_SERVICE_NAME", "transformer")
                        .start();
                SeldonServer model = SeldonServer.start(
                        Components.create("mock-classifier", ComponentParameters.empty()),
                        modelConfig,
                        WrapperTracing.fromEnv(
                                Map.of(
                                        "TRACING",
                                        "1",
                                        "OTEL_EXPORTER_OTLP_ENDPOINT",
                                        "http://127.0.0.1:" + otlp,
                                        "OTEL_BSP_SCHEDULE_DELAY",
                                        "100",
                                        "OTEL_SERVICE_NAME",
                                        "model"),
                                modelConfig))) {
            awaitJaeger(jaeger, query, log);
            SeldonDeployment sdep = LocalGraphs.chain(
                    "traced",
                    "rest",
                    List.of(
                            new LocalGraphs.Node(
                                    "out", "OUTPUT_TRANSFORMER", "seldonj/out:1", out.httpPort(), out.grpcPort()),
                            new LocalGraphs.Node(
                                    "transformer",
                                    "TRANSFORMER",
                                    "seldonj/transformer:1",
                                    transformer.httpPort(),
                                    transformer.grpcPort()),
                            new LocalGraphs.Node(
                                    "model",
                                    "MODEL",
                                    "seldonj/mock-classifier:0.1.0",
                                    model.httpPort(),
                                    model.grpcPort())));
            Graph.walk(sdep.getSpec().getPredictors().get(0).getGraph(), "", (path, unit) -> {
                if (unit.getName().equals("model")) {
                    unit.getEndpoint().setType(EndpointType.GRPC);
                    unit.getEndpoint().setServicePort(model.grpcPort());
                }
            });
            try (EngineProcess engine = EngineProcess.start(
                    sdep,
                    Map.of(
                            "TRACING",
                            "1",
                            "OTEL_EXPORTER_OTLP_ENDPOINT",
                            "http://127.0.0.1:" + otlp,
                            "OTEL_BSP_SCHEDULE_DELAY",
                            "100"))) {
                String traceId = "0af7651916cd43dd8448eb211c80319c";
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + engine.httpPort() + "/api/v1.0/predictions"))
                                .header("Content-Type", "application/json")
                                .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"ndarray\":[[1.0,2.0,3.0]]}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

                // engine: predictions + 3 steps; components: out, transformer (Python, REST), model (Java, gRPC)
                JsonNode trace = awaitTrace(query, traceId, 7);
                Map<String, JsonNode> byName = new HashMap<>();
                Map<String, String> service = new HashMap<>();
                for (JsonNode s : trace.path("spans")) {
                    String name = s.path("operationName").asText() + "@"
                            + trace.path("processes")
                                    .path(s.path("processID").asText())
                                    .path("serviceName")
                                    .asText();
                    byName.put(name, s);
                    service.put(s.path("spanID").asText(), name);
                }
                assertThat(byName.keySet())
                        .containsExactlyInAnyOrder(
                                "predictions@executor",
                                "transform-input transformer@executor",
                                "predict model@executor",
                                "transform-output out@executor",
                                "transform-input@transformer",
                                "transform-output@out",
                                "Predict@model");
                String server =
                        byName.get("predictions@executor").path("spanID").asText();
                assertThat(parent(byName.get("predictions@executor"))).isEqualTo("b7ad6b7169203331");
                for (String step : List.of(
                        "transform-input transformer@executor",
                        "predict model@executor",
                        "transform-output out@executor")) {
                    assertThat(parent(byName.get(step))).as(step).isEqualTo(server);
                }
                assertThat(service.get(parent(byName.get("transform-input@transformer"))))
                        .isEqualTo("transform-input transformer@executor");
                assertThat(service.get(parent(byName.get("transform-output@out"))))
                        .isEqualTo("transform-output out@executor");
                assertThat(service.get(parent(byName.get("Predict@model")))).isEqualTo("predict model@executor");
            }
        } finally {
            Files.deleteIfExists(log);
        }
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

    private JsonNode awaitTrace(int query, String traceId, int spans) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + query + "/api/traces/" + traceId))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                last = JSON.readTree(r.body()).path("data").path(0);
                if (last.path("spans").size() >= spans) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("trace " + traceId + " has not " + spans + " spans in Jaeger after 30 s: " + last);
    }

    private static String parent(JsonNode span) {
        for (JsonNode ref : span.path("references")) {
            if (ref.path("refType").asText().equals("CHILD_OF")) {
                return ref.path("spanID").asText();
            }
        }
        return null;
    }
}
