package dev.seldonj.desired;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;

/** SeldonDeployments and lookups shared by the builder tests. */
final class Fixtures {

    private Fixtures() {}

    static SeldonDeployment sdep(String yaml) {
        return Manifests.read(yaml, "test", SeldonDeploymentValidator.withDefaults());
    }

    static List<HasMetadata> render(String yaml) {
        return DesiredState.of(sdep(yaml), OperatorConfig.defaults());
    }

    /** Rendered under the controller settings given as the text of a settings file (controller.yaml). */
    static List<HasMetadata> render(String yaml, String settingsYaml) {
        return DesiredState.of(sdep(yaml), OperatorConfigLoader.fromYaml(settingsYaml));
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> T named(List<HasMetadata> objects, Class<T> type, String name) {
        return ofType(objects, type).stream()
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name + " in "
                        + objects.stream()
                                .map(o -> o.getKind() + "/" + o.getMetadata().getName())
                                .toList()));
    }

    static GenericKubernetesResource generic(List<HasMetadata> objects, String kind, String name) {
        return ofType(objects, GenericKubernetesResource.class).stream()
                .filter(o ->
                        o.getKind().equals(kind) && o.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    static Container container(Deployment d, String name) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container " + name));
    }

    static String env(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse(null);
    }

    static final String MODEL = """
      apiVersion: machinelearning.seldon.io/v1
      kind: SeldonDeployment
      metadata:
        name: mymodel
        namespace: models
      spec:
        annotations:
          seldon.io/engine-log-level: DEBUG
        predictors:
        - name: main
          replicas: 2
          traffic: 80
          annotations:
            team: ml
          labels:
            owner: alice
          svcOrchSpec:
            env:
            - name: SELDON_ENABLE_ROUTING_INJECTION
              value: "true"
          componentSpecs:
          - metadata:
              labels:
                tier: gpu
            spec:
              containers:
              - name: transformer
                image: example/transformer:1
              - name: classifier
                image: example/classifier:1
          - spec:
              containers:
              - name: remote
                image: example/remote:1
          graph:
            name: transformer
            type: TRANSFORMER
            parameters:
            - name: scale
              value: "2"
              type: FLOAT
            children:
            - name: classifier
              type: MODEL
              children:
              - name: remote
                type: MODEL
        - name: canary
          traffic: 20
          componentSpecs:
          - spec:
              containers:
              - name: classifier
                image: example/classifier:2
          graph:
            name: classifier
            type: MODEL
      """;

    /**
     * One predictor {@code p} running one model container {@code m}; {@code specExtra} and
     * {@code predictorExtra} are YAML lines (already indented) added to the spec and the predictor.
     */
    static String singleModel(String name, String specExtra, String predictorExtra) {
        return """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: NAME}
        spec:
        SPEC  predictors:
          - name: p
        PREDICTOR    componentSpecs:
            - spec:
                containers: [{name: m, image: example/m:1}]
            graph: {name: m, type: MODEL}
        """.replace("NAME", name).replace("SPEC", specExtra).replace("PREDICTOR", predictorExtra);
    }
}
