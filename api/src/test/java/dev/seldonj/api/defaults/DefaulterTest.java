package dev.seldonj.api.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.EndpointType;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictiveUnitType;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DefaulterTest {

    private static SeldonDeployment read(String yaml) {
        return Manifests.read(yaml, "test", SeldonDeploymentValidator.withDefaults());
    }

    private static Map<String, Integer> ports(Container c) {
        return c.getPorts().stream().collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
    }

    @Test
    void seedFourGetsNamespaceVersionLabelPortsAndALocalhostEndpoint() {
        SeldonDeployment original = read("""
        apiVersion: machinelearning.seldon.io/v1alpha2
        kind: SeldonDeployment
        metadata: {name: seldon-model}
        spec:
          predictors:
          - name: example
            componentSpecs:
            - spec:
                containers:
                - {name: classifier, image: "seldonio/mock_classifier:1.0"}
            graph: {name: classifier, children: [], endpoint: {type: REST}, type: MODEL}
        """);
        SeldonDeployment sdep = new Defaulter(DefaultingConfig.defaults()).apply(original);
        PredictorSpec p = sdep.getSpec().getPredictors().get(0);
        assertThat(sdep.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(p.getLabels()).containsEntry("version", "example");
        assertThat(ports(p.getComponentSpecs().get(0).getSpec().getContainers().get(0)))
                .containsExactlyInAnyOrderEntriesOf(Map.of("http", 9000, "grpc", 9500, "metrics", 6000));
        var endpoint = p.getGraph().getEndpoint();
        assertThat(endpoint.getServiceHost()).isEqualTo("localhost");
        assertThat(endpoint.getServicePort()).isEqualTo(9000);
        assertThat(endpoint.getHttpPort()).isEqualTo(9000);
        assertThat(endpoint.getGrpcPort()).isEqualTo(9500);
        assertThat(p.getGraph().getImplementation()).isEqualTo("UNKNOWN_IMPLEMENTATION");
        // The input is left as it was: defaults are never written back to the user's spec.
        assertThat(original.getMetadata().getNamespace()).isNull();
        assertThat(original.getSpec()
                        .getPredictors()
                        .get(0)
                        .getGraph()
                        .getEndpoint()
                        .getServiceHost())
                .isNull();
    }

    @Test
    void portsCountUpPerContainerNameAndAreSharedAcrossPredictors() {
        SeldonDeployment sdep = new Defaulter(DefaultingConfig.defaults()).apply(read("""
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: ab, namespace: models}
        spec:
          transport: grpc
          predictors:
          - name: main
            traffic: 75
            componentSpecs:
            - spec:
                containers:
                - {name: transformer, image: "x/t:1"}
                - {name: model, image: "x/m:1", ports: [{name: http, containerPort: 7777}]}
            - spec:
                containers:
                - {name: other, image: "x/o:1"}
            graph:
              name: transformer
              type: TRANSFORMER
              children:
              - name: model
                children:
                - {name: other, endpoint: {type: REST}}
          - name: canary
            traffic: 25
            componentSpecs:
            - spec:
                containers:
                - {name: model, image: "x/m:2"}
            graph: {name: model}
        """));
        PredictorSpec main = sdep.getSpec().getPredictors().get(0);
        PredictiveUnit transformer = main.getGraph();
        PredictiveUnit model = transformer.getChildren().get(0);
        PredictiveUnit other = model.getChildren().get(0);
        assertThat(transformer.getEndpoint().getType()).isEqualTo(EndpointType.GRPC);
        assertThat(transformer.getEndpoint().getServicePort()).isEqualTo(9500);
        assertThat(model.getType()).isEqualTo(PredictiveUnitType.MODEL);
        assertThat(model.getEndpoint().getHttpPort()).isEqualTo(7777);
        assertThat(model.getEndpoint().getGrpcPort()).isEqualTo(9501);
        assertThat(other.getEndpoint().getType()).isEqualTo(EndpointType.REST);
        assertThat(other.getEndpoint().getServicePort()).isEqualTo(9001);
        assertThat(other.getEndpoint().getServiceHost()).isEqualTo("ab-main-other.models.svc.cluster.local");
        PredictiveUnit canaryModel = sdep.getSpec().getPredictors().get(1).getGraph();
        assertThat(canaryModel.getEndpoint().getHttpPort()).isEqualTo(7777);
        assertThat(canaryModel.getEndpoint().getGrpcPort()).isEqualTo(9501);
        assertThat(canaryModel.getEndpoint().getServiceHost()).isEqualTo("localhost");
    }

    @Test
    void prepackagedServersGetAContainerWithTheConfiguredImage() {
        DefaultingConfig config = new DefaultingConfig(
                9000,
                9500,
                6000,
                (impl, protocol) -> impl.equals("SKLEARN_SERVER") && protocol == Protocol.SELDON
                        ? Optional.of("seldonio/sklearnserver:1.18.2")
                        : Optional.empty());
        SeldonDeployment sdep = new Defaulter(config).apply(read("""
        apiVersion: machinelearning.seldon.io/v1alpha2
        kind: SeldonDeployment
        metadata: {name: sklearn}
        spec:
          predictors:
          - name: default
            graph: {name: classifier, implementation: SKLEARN_SERVER, modelUri: "gs://seldon-models/sklearn/iris"}
        """));
        PredictorSpec p = sdep.getSpec().getPredictors().get(0);
        Container c = p.getComponentSpecs().get(0).getSpec().getContainers().get(0);
        assertThat(c.getName()).isEqualTo("classifier");
        assertThat(c.getImage()).isEqualTo("seldonio/sklearnserver:1.18.2");
        assertThat(p.getGraph().getType()).isEqualTo(PredictiveUnitType.MODEL);
        assertThat(p.getGraph().getEndpoint().getServiceHost()).isEqualTo("localhost");
    }

    @Test
    void builtInsGetNoEndpointAndLongNamesAreHashed() {
        SeldonDeployment sdep = new Defaulter(DefaultingConfig.defaults()).apply(read("""
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: stub}
        spec:
          predictors:
          - name: p
            graph: {name: m, implementation: SIMPLE_MODEL}
        """));
        assertThat(sdep.getSpec().getPredictors().get(0).getGraph().getEndpoint())
                .isNull();
        assertThat(Names.kubernetesName("a".repeat(63))).isEqualTo("a".repeat(63));
        assertThat(Names.kubernetesName("a".repeat(64))).matches("seldon-[0-9a-f]{32}");
    }
}
