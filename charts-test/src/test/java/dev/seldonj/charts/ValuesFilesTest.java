package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ready-made files under values/ install with their chart, and the umbrella example works offline. */
class ValuesFilesTest {

    static Stream<Path> valuesFiles() throws IOException {
        try (Stream<Path> files = Files.list(Repository.VALUES)) {
            return files
                    .filter(f -> f.toString().endsWith(".yaml")
                            && !f.getFileName().toString().startsWith("umbrella"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    /** operator-* and ingress-* files go with the operator chart, single-model-* with seldon-single-model. */
    static Path chartFor(Path valuesFile) {
        String name = valuesFile.getFileName().toString();
        if (name.startsWith("operator-") || name.startsWith("ingress-")) {
            return Repository.OPERATOR;
        }
        if (name.startsWith("single-model-")) {
            return Repository.SINGLE_MODEL;
        }
        throw new AssertionError(
                name + " names no chart: start it with operator-, ingress-, single-model- or umbrella");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valuesFiles")
    void rendersWithItsChart(Path valuesFile) {
        Manifest manifest = HelmRender.of(chartFor(valuesFile), "release")
                .values(valuesFile)
                .render();
        ChartChecks.wellFormed(manifest);
    }

    @Test
    void productionValuesRunTwoControllersWithABudgetAndMetrics() {
        Manifest manifest = HelmRender.of(Repository.OPERATOR, "seldon-core-operator")
                .values(Repository.VALUES.resolve("operator-production.yaml"))
                .render();
        assertThat(manifest.only("Deployment").at("/spec/replicas").asInt()).isEqualTo(2);
        assertThat(manifest.ofKind("PodDisruptionBudget")).hasSize(1);
        assertThat(manifest.find("Service", "seldon-core-operator-metrics")).isPresent();
        assertThat(manifest.ofKind("Certificate")).hasSize(1);
    }

    @Test
    void umbrellaRendersTheOperatorWhenEnabledAndNothingOfItWhenDisabled(@TempDir Path work) throws IOException {
        Path umbrella = copyUmbrellaWithItsDependency(work);
        new Helm(umbrella).dependency().build().call();
        ChartLintTest.assertLintsStrictly(umbrella);

        Manifest enabled = HelmRender.of(umbrella, "platform")
                .values(Repository.VALUES.resolve("umbrella-example.yaml"))
                .render();
        ChartChecks.wellFormed(enabled);
        assertThat(enabled.identities())
                .contains(
                        "Deployment/seldon-system/platform-seldon-core-operator",
                        "CustomResourceDefinition//seldondeployments.machinelearning.seldon.io",
                        "ValidatingWebhookConfiguration//seldon-system-platform-seldon-core-operator");

        assertThatThrownBy(() -> HelmRender.of(umbrella, "platform")
                        .values(Repository.VALUES.resolve("umbrella-example.yaml"))
                        .set("seldon-core-operator.usageMetrcs.enabled", false)
                        .render())
                .hasMessageContaining("usageMetrcs");

        Manifest disabled = HelmRender.of(umbrella, "platform").render();
        assertThat(disabled.objects()).isEmpty();
        Manifest disabledExplicitly = HelmRender.of(umbrella, "platform")
                .values(Repository.VALUES.resolve("umbrella-example.yaml"))
                .set("seldon-core-operator.enabled", false)
                .render();
        assertThat(disabledExplicitly.objects()).isEmpty();
    }

    /** values/umbrella and charts/seldon-core-operator at the same relative places, so file:// resolves. */
    private static Path copyUmbrellaWithItsDependency(Path work) {
        copyTree(Repository.OPERATOR, work.resolve("charts").resolve("seldon-core-operator"));
        Path umbrella = work.resolve("values").resolve("umbrella");
        copyTree(Repository.VALUES.resolve("umbrella"), umbrella);
        return umbrella;
    }

    private static void copyTree(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
