package dev.seldonj.desired;

import static dev.seldonj.desired.Fixtures.MODEL;
import static dev.seldonj.desired.Fixtures.generic;
import static dev.seldonj.desired.Fixtures.render;
import static dev.seldonj.desired.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.validation.InvalidManifestException;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Emissary Mappings and Istio routes. */
class RoutesTest {

    @Test
    void restAndGrpcMappingsPerPredictorWithCanaryWeights() {
        List<HasMetadata> objects = render(MODEL);
        GenericKubernetesResource rest = generic(objects, "Mapping", "seldon-models-mymodel-main-rest");
        assertThat(rest.getApiVersion()).isEqualTo("getambassador.io/v3alpha1");
        assertThat(spec(rest))
                .containsEntry("hostname", "*")
                .containsEntry("prefix", "/seldon/models/mymodel/")
                .containsEntry("rewrite", "/")
                .containsEntry("service", "mymodel-main.models:8000")
                .containsEntry("timeout_ms", 3000)
                .doesNotContainKey("weight");
        GenericKubernetesResource canaryGrpc = generic(objects, "Mapping", "seldon-models-mymodel-canary-grpc");
        assertThat(spec(canaryGrpc))
                .containsEntry("grpc", true)
                .containsEntry("prefix_regex", true)
                .containsEntry("service", "mymodel-canary.models:5001")
                .containsEntry("weight", 20)
                .containsEntry("headers", Map.of("seldon", "mymodel", "namespace", "models"));
        assertThat(rest.getMetadata().getLabels()).containsEntry("seldon-deployment-id", "mymodel");
    }

    @Test
    void headerAnnotationsAddStringMatchesAndKeepTheGrpcRoutingHeaders() {
        String sdep = """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: h, namespace: ns}
        spec:
          annotations: {seldon.io/ambassador-header: "%s", seldon.io/ambassador-regex-header: "x-user: ^team-.*$"}
          predictors:
          - name: main
            componentSpecs: [{spec: {containers: [{name: m, image: example/m:1}]}}]
            graph: {name: m, type: MODEL}
        """;
        List<HasMetadata> valued = render(sdep.formatted("x-version: canary"));
        assertThat(spec(generic(valued, "Mapping", "seldon-ns-h-main-rest")))
                .containsEntry("headers", Map.of("x-version", "canary"))
                .containsEntry("regex_headers", Map.of("x-user", "^team-.*$"));
        assertThat(spec(generic(valued, "Mapping", "seldon-ns-h-main-grpc")))
                .containsEntry("headers", Map.of("seldon", "h", "namespace", "ns", "x-version", "canary"));
        // A bare name means "present with any value": a regex, since Emissary v3's headers are strings only.
        List<HasMetadata> bare = render(sdep.formatted("x-canary"));
        assertThat(spec(generic(bare, "Mapping", "seldon-ns-h-main-rest")))
                .doesNotContainKey("headers")
                .containsEntry("regex_headers", Map.of("x-canary", ".*", "x-user", "^team-.*$"));
    }

    @Test
    void shadowTimeoutsSingleNamespaceAndAnnotations() {
        List<HasMetadata> objects = render("""
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: s, namespace: ns}
        spec:
          annotations: {seldon.io/rest-timeout: "400000", seldon.io/ambassador-id: edge, seldon.io/ambassador-retries: "2"}
          predictors:
          - name: main
            componentSpecs: [{spec: {containers: [{name: m, image: example/m:1}]}}]
            graph: {name: m, type: MODEL}
          - name: shadow
            shadow: true
            componentSpecs: [{spec: {containers: [{name: m, image: example/m:2}]}}]
            graph: {name: m, type: MODEL}
        """, "ambassador: {single-namespace: true}");
        Map<String, Object> shadow = spec(generic(objects, "Mapping", "seldon-ns-s-shadow-rest"));
        assertThat(shadow)
                .containsEntry("shadow", true)
                .containsEntry("weight", 0)
                .containsEntry("timeout_ms", 400000)
                .containsEntry("idle_timeout_ms", 400000)
                .containsEntry("ambassador_id", List.of("edge"))
                .containsEntry("retry_policy", Map.of("retry_on", "gateway-error", "num_retries", 2));
        assertThat(spec(generic(objects, "Mapping", "seldon-s-main-rest"))).containsEntry("prefix", "/seldon/s/");
        assertThat(spec(generic(objects, "Mapping", "seldon-s-main-grpc")))
                .containsEntry("headers", Map.of("seldon", "s"));
    }

    @Test
    void aNonIntegerTimeoutIsAProblemWithItsPath() {
        assertThatThrownBy(() ->
                        render(MODEL.replace("seldon.io/engine-log-level: DEBUG", "seldon.io/rest-timeout: soon")))
                .isInstanceOf(InvalidManifestException.class)
                .hasMessageContaining("spec.annotations.seldon.io/rest-timeout")
                .hasMessageContaining("soon");
    }

    @Test
    void ambassadorOffIstioOn() {
        List<HasMetadata> objects =
                render(MODEL, "ambassador: {enabled: false}\nistio: {enabled: true, tls-mode: ISTIO_MUTUAL}");
        assertThat(objects).noneMatch(o -> o.getKind().equals("Mapping"));
        GenericKubernetesResource vs = generic(objects, "VirtualService", "mymodel");
        assertThat(spec(vs))
                .containsEntry("gateways", List.of("istio-system/seldon-gateway"))
                .containsEntry("hosts", List.of("*"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> http = (List<Map<String, Object>>) spec(vs).get("http");
        assertThat(http.get(0).get("route").toString())
                .contains("weight=80")
                .contains("weight=20")
                .contains("mymodel-main.models.svc.cluster.local")
                .contains("number=8000");
        assertThat(http.get(1).get("route").toString()).contains("number=5001");
        GenericKubernetesResource dr = generic(objects, "DestinationRule", "mymodel-canary");
        assertThat(spec(dr)).containsEntry("trafficPolicy", Map.of("tls", Map.of("mode", "ISTIO_MUTUAL")));
        assertThat(spec(dr).get("subsets").toString()).contains("version=canary");
    }
}
