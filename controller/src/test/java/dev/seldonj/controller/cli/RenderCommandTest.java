package dev.seldonj.controller.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.controller.reconcile.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class RenderCommandTest {

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ControllerCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Stream<Path> seeds() throws IOException {
        Path root = MockCluster.repositoryRoot();
        return Stream.concat(
                Files.list(root.resolve("api/src/test/resources/seeds")).sorted(),
                Stream.of(root.resolve("examples/seldon-model.yaml")));
    }

    /** Every seed renders, except those written malformed on purpose, which fail with their paths. */
    @ParameterizedTest
    @MethodSource("seeds")
    void everySeedRendersOrNamesItsProblems(Path seed) {
        Run run = run("render", "-f", seed.toString());
        if (seed.getFileName().toString().contains("malformed")) {
            assertThat(run.code()).isEqualTo(1);
            assertThat(run.err()).contains(seed + ": spec.predictors[0]");
            assertThat(run.out()).isEmpty();
            return;
        }
        assertThat(run.code()).as(run.err()).isZero();
        List<HasMetadata> objects = Serialization.unmarshal(run.out());
        assertThat(objects).extracting(HasMetadata::getKind).contains("Deployment", "Service", "Mapping");
        Deployment d = (Deployment) objects.get(0);
        assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                .extracting("name")
                .contains("seldon-container-engine");
    }

    @Test
    void namespaceOptionAndStableOutput() {
        String seed = MockCluster.repositoryRoot()
                .resolve("examples/seldon-model.yaml")
                .toString();
        Run first = run("render", "-f", seed, "--namespace", "prod");
        Run second = run("render", "-f", seed, "--namespace", "prod");
        assertThat(first.out()).isEqualTo(second.out()).startsWith("---\n").contains("namespace: \"prod\"");
    }

    @Test
    void invalidFileListsEveryProblemAndExitsOne(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: bad}
        spec:
          predictors:
          - name: a
            traffic: 30
            graph: {name: missing, type: MODEL}
          - name: a
            traffic: 30
            graph: {name: m, implementation: SKLEARN_SERVER}
        """);
        Run run = run("render", "-f", file.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err())
                .contains("spec.predictors[0].graph")
                .contains("spec.predictors[1]")
                .contains("bad.yaml: ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void usageErrorsExitTwoAndBadConfigExitsOne(@TempDir Path dir) throws IOException {
        assertThat(run("render").code()).isEqualTo(2);
        assertThat(run("render", "-f", dir.resolve("missing.yaml").toString()).code())
                .isEqualTo(1);
        Path config = dir.resolve("controller.yaml");
        Files.writeString(config, "engine: {imagee: x}");
        String seed = MockCluster.repositoryRoot()
                .resolve("examples/seldon-model.yaml")
                .toString();
        Run run = run("render", "-f", seed, "--config", config.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).contains(config + ": engine.imagee: unknown key");
    }
}
