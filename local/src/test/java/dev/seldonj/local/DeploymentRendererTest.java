package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.desired.DesiredState;
import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.plan.RunPlan;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run -f}: the manifest is validated by the api's validators, given the run's namespace, and
 * rendered by the controller's own {@link DesiredState}, in-process.
 */
class DeploymentRendererTest {

    @TempDir
    Path dir;

    @Test
    void rendersAValidDeploymentInTheRunsNamespace() throws IOException {
        Path sdep = Files.writeString(dir.resolve("sdep.yaml"), """
        apiVersion: machinelearning.seldon.io/v1alpha2
        kind: SeldonDeployment
        metadata: {name: seldon-model}
        spec:
          predictors:
          - name: example
            graph: {name: classifier, type: MODEL}
            componentSpecs: [{spec: {containers: [{name: classifier, image: "seldonio/mock_classifier:1.0"}]}}]
        """);
        List<HasMetadata> objects = new DeploymentRenderer().render(sdep, "team-a");
        RunPlan plan = RunPlan.of(objects, "default");
        assertThat(plan.pods())
                .singleElement()
                .satisfies(p -> assertThat(p.namespace()).isEqualTo("team-a"));
        assertThat(plan.mappings()).anySatisfy(m -> assertThat(m.prefix()).isEqualTo("/seldon/team-a/seldon-model/"));
    }

    @Test
    void theObjectsAreExactlyTheControllersDesiredState() throws IOException {
        String text = """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: split, namespace: ns1}
        spec:
          predictors:
          - name: a
            traffic: 70
            graph: {name: m, type: MODEL}
            componentSpecs: [{spec: {containers: [{name: m, image: example/m:1}]}}]
          - name: b
            traffic: 30
            graph: {name: m, type: MODEL}
            componentSpecs: [{spec: {containers: [{name: m, image: example/m:2}]}}]
        """;
        Path sdep = Files.writeString(dir.resolve("split.yaml"), text);
        List<HasMetadata> expected = DesiredState.of(
                Manifests.read(text, "split", SeldonDeploymentValidator.withDefaults()), OperatorConfig.defaults());
        assertThat(new DeploymentRenderer().render(sdep, "other")).isEqualTo(expected);
    }

    @Test
    void anInvalidDeploymentIsRejectedWithThePathOfEachProblem() throws IOException {
        Path sdep = Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: bad}
        spec:
          predictors:
          - name: p
            graph: {name: missing, type: MODEL}
            componentSpecs: [{spec: {containers: [{name: other, image: x}]}}]
        """);
        assertThatThrownBy(() -> new DeploymentRenderer().render(sdep, "default"))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("bad.yaml: invalid SeldonDeployment")
                .hasMessageContaining("spec.predictors[0].graph");
    }

    @Test
    void aMissingFileIsAClearError() {
        assertThatThrownBy(() -> new DeploymentRenderer().render(dir.resolve("none.yaml"), "default"))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("none.yaml")
                .hasMessageContaining("cannot read");
    }
}
