package dev.seldonj.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.manifest.Manifests;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seldon's admission rules and ours, each reported at the path of the fault. */
class SemanticValidatorTest {

    private final SeldonDeploymentValidator validator = SeldonDeploymentValidator.withDefaults();

    private List<String> errors(String yaml) {
        return validator.validate(Manifests.documents(yaml, "test").get(0)).errors().stream()
                .map(Problem::toString)
                .toList();
    }

    /** A v1 SeldonDeployment around a spec; a line {@code POD} becomes componentSpecs with containers a, b and c. */
    private static String sdep(String spec) {
        StringBuilder out = new StringBuilder(
                "apiVersion: machinelearning.seldon.io/v1\nkind: SeldonDeployment\nmetadata:\n  name: m\nspec:\n");
        for (String line : spec.split("\n")) {
            if (line.trim().equals("POD")) {
                String indent = "  " + line.substring(0, line.indexOf("POD"));
                for (String podLine : List.of(
                        "componentSpecs:",
                        "- spec:",
                        "    containers:",
                        "    - {name: a, image: x/a:1}",
                        "    - {name: b, image: x/b:1}",
                        "    - {name: c, image: x/c:1}")) {
                    out.append(indent).append(podLine).append('\n');
                }
            } else {
                out.append("  ").append(line).append('\n');
            }
        }
        return out.toString();
    }

    @Test
    void missingContainerIsNamedAtTheNode() {
        assertThat(errors(sdep("""
          predictors:
          - name: p
            POD
            graph:
              name: a
              children:
              - name: b
              - name: step_two
        """)))
                .containsExactly(
                        "spec.predictors[0].graph.children[1]: no container named 'step_two' in componentSpecs");
    }

    @Test
    void duplicateNodeAndPredictorNamesAreRejected() {
        assertThat(errors(sdep("""
          predictors:
          - name: p
            traffic: 50
            POD
            graph:
              name: a
              children:
              - name: a
          - name: p
            traffic: 50
            POD
            graph:
              name: b
        """)))
                .containsExactly(
                        "spec.predictors[1].name: duplicate predictor name 'p' (also spec.predictors[0])",
                        "spec.predictors[0].graph.children[0].name: duplicate node name 'a' (also spec.predictors[0].graph)");
    }

    @Test
    void trafficMustSumTo100AndShadowsAreLimited() {
        assertThat(errors(sdep("""
          predictors:
          - name: p
            traffic: 60
            POD
            graph: {name: a}
          - name: q
            traffic: 30
            POD
            graph: {name: b}
        """)))
                .containsExactly("spec.predictors: traffic of the predictors that are not shadows sums to 90, not 100");
        assertThat(errors(sdep("""
          predictors:
          - name: p
            shadow: true
            POD
            graph: {name: a}
        """)))
                .containsExactly("spec.predictors[0].shadow: a shadow cannot be the only predictor");
        assertThat(errors(sdep("""
          predictors:
          - name: p
            traffic: 40
            POD
            graph: {name: a}
        """)))
                .containsExactly(
                        "spec.predictors[0].traffic: the only predictor that is not a shadow takes all traffic: use 100 or leave it unset, not 40");
    }

    @Test
    void prepackagedServersNeedModelUriAndAProtocolTheyServe() {
        assertThat(errors(sdep("""
          protocol: tensorflow
          predictors:
          - name: p
            graph:
              name: clf
              implementation: SKLEARN_SERVER
        """)))
                .containsExactly(
                        "spec.predictors[0].graph.modelUri: SKLEARN_SERVER needs a modelUri",
                        "spec.predictors[0].graph.implementation: SKLEARN_SERVER does not serve the tensorflow protocol");
        assertThat(errors(sdep("""
          predictors:
          - name: p
            graph:
              name: clf
              implementation: MY_SERVER
              modelUri: s3://bucket/model
        """)))
                .singleElement()
                .asString()
                .startsWith(
                        "spec.predictors[0].graph.implementation: 'MY_SERVER' is not a configured prepackaged server");
    }

    @Test
    void unknownTypeNeedsMethodsAndLoggerNeedsMode() {
        assertThat(errors(sdep("""
          predictors:
          - name: p
            POD
            graph:
              name: a
              type: UNKNOWN_TYPE
              logger: {url: "http://logger"}
        """)))
                .containsExactly(
                        "spec.predictors[0].graph.methods: a node of type UNKNOWN_TYPE must list its methods",
                        "spec.predictors[0].graph.logger.mode: a logger needs a mode: all, request or response");
    }

    @Test
    void noEngineNeedsASingleNodeAndKafkaNeedsItsEnv() {
        assertThat(errors(sdep("""
          serverType: kafka
          predictors:
          - name: p
            annotations: {"seldon.io/no-engine": "true"}
            POD
            graph:
              name: a
              children: [{name: b}]
        """)))
                .containsExactly(
                        "spec.predictors[0].svcOrchSpec.env: serverType kafka needs env KAFKA_BROKER",
                        "spec.predictors[0].svcOrchSpec.env: serverType kafka needs env KAFKA_INPUT_TOPIC",
                        "spec.predictors[0].svcOrchSpec.env: serverType kafka needs env KAFKA_OUTPUT_TOPIC",
                        "spec.predictors[0].annotations.seldon.io/no-engine: only a graph with a single node can run without the engine");
    }

    @Test
    void kafkaChecksEveryPredictorForEachOfItsThreeVariables() {
        assertThat(errors(sdep("""
          serverType: kafka
          predictors:
          - name: p
            POD
            graph: {name: a}
            svcOrchSpec:
              env:
              - {name: KAFKA_BROKER, value: "kafka:9092"}
              - {name: KAFKA_INPUT_TOPIC, value: in}
              - {name: KAFKA_OUTPUT_TOPIC, value: out}
            traffic: 50
          - name: q
            POD
            graph: {name: a}
            svcOrchSpec:
              env:
              - {name: KAFKA_BROKER, value: "kafka:9092"}
              - {name: KAFKA_OUTPUT_TOPIC, value: out}
            traffic: 50
        """)))
                .containsExactly("spec.predictors[1].svcOrchSpec.env: serverType kafka needs env KAFKA_INPUT_TOPIC");
    }

    @Test
    void builtInsAndTypedParametersAreChecked() {
        assertThat(errors(sdep("""
          predictors:
          - name: p
            POD
            graph:
              name: ab
              implementation: RANDOM_ABTEST
              parameters:
              - {name: ratioA, value: "1.5", type: FLOAT}
              - {name: n, value: "two", type: INT}
              - {name: flag, value: "yes", type: BOOL}
              children: [{name: a}]
        """)))
                .containsExactly(
                        "spec.predictors[0].graph.children: RANDOM_ABTEST routes between exactly 2 children, not 1",
                        "spec.predictors[0].graph.parameters: ratioA must be between 0 and 1, not 1.5",
                        "spec.predictors[0].graph.parameters[1].value: \"two\" is not an INT",
                        "spec.predictors[0].graph.parameters[2].value: \"yes\" is not a BOOL (true or false)");
    }

    @Test
    void schemaFaultsNameTheirPathsIncludingEmbeddedPodSpecs() {
        assertThat(errors(sdep("""
          protocol: grpc
          predictors:
          - name: p
            componentSpecs:
            - spec:
                containers:
                - name: a
                  image: x/a:1
                  imagePullPolcy: Always
                  ports: [{containerPort: "http"}]
            graph:
              name: a
              type: MODLE
        """)))
                .containsExactlyInAnyOrder(
                        "spec.protocol: \"grpc\" is not one of kfserving, seldon, tensorflow, v2",
                        "spec.predictors[0].componentSpecs[0].spec.containers[0].imagePullPolcy: unknown field",
                        "spec.predictors[0].componentSpecs[0].spec.containers[0].ports[0].containerPort: expected an integer, got \"http\"",
                        "spec.predictors[0].graph.type: \"MODLE\" is not one of COMBINER, MODEL, OUTPUT_TRANSFORMER, ROUTER, TRANSFORMER, UNKNOWN_TYPE");
    }

    @Test
    void graphsNestDeeperThanTheCrdUnrollsAndStillGetChecked() {
        StringBuilder spec = new StringBuilder("predictors:\n- name: p\n  graph:\n");
        String indent = "    ";
        spec.append(indent).append("name: n0\n");
        for (int level = 0; level < 14; level++) {
            spec.append(indent).append("implementation: SIMPLE_MODEL\n");
            if (level < 13) {
                spec.append(indent)
                        .append("children:\n")
                        .append(indent)
                        .append("- name: n")
                        .append(level + 1)
                        .append('\n');
                indent += "  ";
            }
        }
        String yaml = sdep(spec.toString());
        assertThat(errors(yaml)).isEmpty();
        assertThat(errors(yaml.replace("name: n13", "nmae: n13")))
                .contains("spec.predictors[0].graph" + ".children[0]".repeat(13) + ".nmae: unknown field");
    }

    @Test
    void envelopeMustBeASeldonDeployment() {
        assertThat(
                        errors(
                                "apiVersion: machinelearning.seldon.io/v2\nkind: Deployment\nmetadata: {name: Bad_Name}\nspec:\n  predictors: []\n"))
                .contains(
                        "apiVersion: \"machinelearning.seldon.io/v2\": expected one of machinelearning.seldon.io/v1, "
                                + "machinelearning.seldon.io/v1alpha2, machinelearning.seldon.io/v1alpha3",
                        "kind: \"Deployment\": expected SeldonDeployment");
    }
}
