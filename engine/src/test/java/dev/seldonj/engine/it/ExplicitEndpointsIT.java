package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.engine.EngineApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A predictor whose endpoints point at components already running on this machine (as compat's
 * LocalGraphs builds them: 127.0.0.1 and explicit ports, containers without ports) and that arrives as
 * ENGINE_PREDICTOR runs as given: the engine does not re-default the endpoints.
 */
class ExplicitEndpointsIT {

  @Test
  void explicitEndpointsAreKept() throws Exception {
    try (RestComponent model = new RestComponent("classifier").echoing("/predict")) {
      SeldonDeployment sdep = Manifests.bind(Manifests.mapper().readTree("""
          {"apiVersion": "machinelearning.seldon.io/v1", "kind": "SeldonDeployment",
           "metadata": {"name": "local", "namespace": "default"},
           "spec": {"transport": "rest", "protocol": "seldon", "predictors": [{"name": "default",
             "componentSpecs": [{"spec": {"containers": [{"name": "classifier", "image": "my-model:0.1"}]}}],
             "graph": {"name": "classifier", "type": "MODEL", "endpoint": {"service_host": "127.0.0.1",
               "service_port": %d, "httpPort": %d, "grpcPort": 1, "type": "REST"}}}]}}""".formatted(model.port(),
          model.port())));

      String predictor = Base64.getEncoder().encodeToString(new ObjectMapper().writeValueAsBytes(
          sdep.getSpec().getPredictors().get(0)));
      try (EngineApplication engine = EngineApplication.start(Map.of("engine.predictor-spec", predictor,
          "engine.sdep", "local", "engine.http-port", 0, "engine.grpc-port", 0))) {
        HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + engine.httpPort() + "/api/v1.0/predictions"))
            .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"ndarray\":[[1.0,2.0,5.0]]}}")).build(),
            HttpResponse.BodyHandlers.ofString());

        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode answer = Messages.parse(res.body());
        assertThat(answer.at("/meta/requestPath/classifier").asText()).isEqualTo("my-model:0.1");
        assertThat(model.received("/predict")).hasSize(1);
      }
    }
  }
}
