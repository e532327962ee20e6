package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.testing.FakeRender;
import dev.seldonj.local.testing.TestImages;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run -f}: the manifest is validated by the api's validators, given the run's namespace, and
 * rendered by the controller's {@code render} command (here a jar whose main class prints the
 * contract's objects).
 */
class ControllerRenderIT {

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
    String rendered = new ControllerRender(TestImages.JAVA, fakeControllerJar()).render(sdep, "team-a");
    RunPlan plan = RunPlan.fromYaml(rendered, "render", "default");
    assertThat(plan.pods()).singleElement().satisfies(p -> assertThat(p.namespace()).isEqualTo("team-a"));
    assertThat(plan.mappings()).anySatisfy(m -> assertThat(m.prefix()).isEqualTo("/seldon/team-a/seldon-model/"));
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
    assertThatThrownBy(() -> new ControllerRender(TestImages.JAVA, dir.resolve("none.jar")).render(sdep, "default"))
        .isInstanceOf(RunnerException.class)
        .hasMessageContaining("bad.yaml: invalid SeldonDeployment")
        .hasMessageContaining("spec.predictors[0].graph");
  }

  @Test
  void aMissingControllerJarSaysHowToBuildItOrWhatToPassInstead() throws IOException {
    Path sdep = Files.writeString(dir.resolve("ok.yaml"), """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: ok}
        spec:
          predictors:
          - name: p
            graph: {name: m, type: MODEL}
            componentSpecs: [{spec: {containers: [{name: m, image: x}]}}]
        """);
    assertThatThrownBy(() -> new ControllerRender(TestImages.JAVA, dir.resolve("controller.jar")).render(sdep, "default"))
        .isInstanceOf(RunnerException.class)
        .hasMessageContaining(dir.resolve("controller.jar") + " is not built")
        .hasMessageContaining("mvn -B -ntp -pl controller -am install -DskipTests")
        .hasMessageContaining("--objects FILE");
  }

  /** A jar that runs {@link FakeRender} with the test classpath (manifest Class-Path). */
  private Path fakeControllerJar() throws IOException {
    Manifest manifest = new Manifest();
    Attributes attributes = manifest.getMainAttributes();
    attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    attributes.put(Attributes.Name.MAIN_CLASS, FakeRender.class.getName());
    attributes.put(Attributes.Name.CLASS_PATH, Arrays.stream(TestImages.CLASSPATH.split(File.pathSeparator))
        .map(entry -> Path.of(entry).toAbsolutePath().toUri().toString()).collect(Collectors.joining(" ")));
    Path jar = dir.resolve("controller.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
      return jar;
    }
  }
}
