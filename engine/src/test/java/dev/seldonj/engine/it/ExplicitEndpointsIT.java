package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.engine.EngineApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A predictor whose endpoints point at components already running on this machine (as compat's
 * LocalGraphs builds them: 127.0.0.1 and explicit ports, containers without ports) and that arrives as
 * ENGINE_PREDICTOR runs as given: the engine does not re-default the endpoints. From {@code --file}, as
 * Seldon's executor reads it: an explicit endpoint wins over the container's defaulted one, and a node with
 * an endpoint needs no container.
 */
class ExplicitEndpointsIT {

    @TempDir
    Path dir;

    @Test
    void aFileNamingAnEndpointIsCalledThereEvenWithAContainer() throws Exception {
        try (RestComponent transformer = new RestComponent("transformer").echoing("/transform-input");
                RestComponent model = new RestComponent("classifier").echoing("/predict")) {
            // transformer: a container in componentSpecs (would be localhost:9000) and service_host/service_port;
            // classifier: no container at all, only its endpoint (host and httpPort).
            Path file = dir.resolve("sdep.yaml");
            Files.writeString(file, """
          apiVersion: machinelearning.seldon.io/v1
          kind: SeldonDeployment
          metadata: {name: files}
          spec:
            predictors:
            - name: default
              componentSpecs:
              - spec:
                  containers:
                  - {name: transformer, image: my-transformer:0.2}
              graph:
                name: transformer
                type: TRANSFORMER
                endpoint: {service_host: 127.0.0.1, service_port: %d}
                children:
                - name: classifier
                  type: MODEL
                  endpoint: {service_host: 127.0.0.1, httpPort: %d, type: REST}
          """.formatted(transformer.port(), model.port()));
            try (EngineApplication engine = EngineApplication.start(
                    Map.of("engine.file", file.toString(), "engine.http-port", 0, "engine.grpc-port", 0))) {
                HttpResponse<String> res = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + engine.httpPort() + "/api/v1.0/predictions"))
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"data\":{\"ndarray\":[[1.0,2.0]]}}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

                assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
                assertThat(Messages.parse(res.body())
                                .at("/meta/requestPath/transformer")
                                .asText())
                        .isEqualTo("my-transformer:0.2");
                assertThat(transformer.received("/transform-input")).hasSize(1);
                assertThat(model.received("/predict")).hasSize(1);
            }
        }
    }

    @Test
    void aFileNodeWithNeitherContainerNorEndpointIsRefusedByName() throws Exception {
        Path file = dir.resolve("sdep.yaml");
        Files.writeString(file, """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: files}
        spec:
          predictors:
          - name: default
            graph: {name: nowhere, type: MODEL}
        """);
        assertThatThrownBy(() -> EngineApplication.start(
                                Map.of("engine.file", file.toString(), "engine.http-port", 0, "engine.grpc-port", 0))
                        .close())
                .hasStackTraceContaining("no container named 'nowhere' in componentSpecs and no endpoint");
    }

    @Test
    void explicitEndpointsAreKept() throws Exception {
        try (RestComponent model = new RestComponent("classifier").echoing("/predict")) {
            SeldonDeployment sdep =
                    Manifests.bind(Manifests.mapper().readTree("""
          {"apiVersion": "machinelearning.seldon.io/v1", "kind": "SeldonDeployment",
           "metadata": {"name": "local", "namespace": "default"},
           "spec": {"transport": "rest", "protocol": "seldon", "predictors": [{"name": "default",
             "componentSpecs": [{"spec": {"containers": [{"name": "classifier", "image": "my-model:0.1"}]}}],
             "graph": {"name": "classifier", "type": "MODEL", "endpoint": {"service_host": "127.0.0.1",
               "service_port": %d, "httpPort": %d, "grpcPort": 1, "type": "REST"}}}]}}""".formatted(model.port(), model.port())));

            String predictor = Base64.getEncoder()
                    .encodeToString(new ObjectMapper()
                            .writeValueAsBytes(sdep.getSpec().getPredictors().get(0)));
            try (EngineApplication engine = EngineApplication.start(Map.of(
                    "engine.predictor-spec",
                    predictor,
                    "engine.sdep",
                    "local",
                    "engine.http-port",
                    0,
                    "engine.grpc-port",
                    0))) {
                HttpResponse<String> res = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(
                                                "http://127.0.0.1:" + engine.httpPort() + "/api/v1.0/predictions"))
                                        .POST(HttpRequest.BodyPublishers.ofString(
                                                "{\"data\":{\"ndarray\":[[1.0,2.0,5.0]]}}"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

                assertThat(res.statusCode()).isEqualTo(200);
                JsonNode answer = Messages.parse(res.body());
                assertThat(answer.at("/meta/requestPath/classifier").asText()).isEqualTo("my-model:0.1");
                assertThat(model.received("/predict")).hasSize(1);
            }
        }
    }
}
