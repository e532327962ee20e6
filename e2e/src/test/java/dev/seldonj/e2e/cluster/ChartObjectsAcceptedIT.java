package dev.seldonj.e2e.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every object every chart renders, with its defaults and with each ready-made values file, is
 * accepted by the real API server ({@code kubectl apply --dry-run=server}: schemas, strict field
 * validation, structural CRD checks, admission). Objects of third-party APIs the test cluster does
 * not serve (cert-manager, the Prometheus operator) are left to the offline chart tests.
 */
class ChartObjectsAcceptedIT {

    private static final Set<String> THIRD_PARTY_GROUPS = Set.of("cert-manager.io", "monitoring.coreos.com");
    private static final Pattern DOCUMENT = Pattern.compile("(?m)^---\\s*$");
    private static TestCluster cluster;

    @BeforeAll
    static void crd() {
        cluster = TestCluster.get();
        serveTheCrd();
    }

    private static void serveTheCrd() {
        // SeldonDeployments (seldon-single-model, -abtest, -mab) need their CRD served.
        Operators.serveCrd(cluster);
    }

    @AfterAll
    static void removeCrd() {
        Operators.cleanSlate(cluster);
    }

    static Stream<Arguments> renders() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        cases.add(Arguments.of("seldon-core-operator", List.of()));
        cases.add(Arguments.of(
                "seldon-single-model", List.of("--set", "model.image.name=seldonj/mock-classifier:0.1.0")));
        cases.add(Arguments.of("seldon-abtest", List.of()));
        cases.add(Arguments.of("seldon-mab", List.of()));
        cases.add(Arguments.of("seldon-core-analytics", List.of()));
        cases.add(Arguments.of(
                "seldon-core-analytics",
                List.of("--set", "prometheus.enabled=true", "--set", "grafana.datasource.enabled=true")));
        try (Stream<Path> files = Files.list(TestCluster.REPOSITORY.resolve("values"))) {
            for (Path file :
                    files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("operator-") || name.startsWith("ingress-")) {
                    cases.add(Arguments.of("seldon-core-operator", List.of("-f", file.toString())));
                } else if (name.startsWith("single-model-")) {
                    cases.add(Arguments.of("seldon-single-model", List.of("-f", file.toString())));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("renders")
    void theApiServerAcceptsEveryRenderedObject(String chart, List<String> values) {
        List<String> args = new ArrayList<>(List.of(
                "template",
                "release",
                TestCluster.REPOSITORY.resolve("charts").resolve(chart).toString(),
                "-n",
                "default"));
        args.addAll(values);
        assertAccepted(cluster.helm(args.toArray(String[]::new)).orThrow());
    }

    @Test
    void theUmbrellaChartWithTheOperatorEnabled(@TempDir Path work) throws IOException {
        Path umbrella = work.resolve("values/umbrella");
        Files.createDirectories(work.resolve("charts"));
        copy(
                TestCluster.REPOSITORY.resolve("charts/seldon-core-operator"),
                work.resolve("charts/seldon-core-operator"));
        copy(TestCluster.REPOSITORY.resolve("values/umbrella"), umbrella);
        cluster.helm("dependency", "build", umbrella.toString()).orThrow();
        String rendered = cluster.helm(
                        "template",
                        "platform",
                        umbrella.toString(),
                        "-n",
                        "default",
                        "-f",
                        TestCluster.REPOSITORY
                                .resolve("values/umbrella-example.yaml")
                                .toString())
                .orThrow();
        assertThat(rendered).contains("kind: CustomResourceDefinition", "kind: Deployment");
        assertAccepted(rendered);

        // And installed for real: the platform's release brings the operator up as its subchart.
        Operators.cleanSlate(cluster);
        String namespace = cluster.createNamespace("platform");
        try {
            cluster.helm(
                            "install",
                            "platform",
                            umbrella.toString(),
                            "-n",
                            namespace,
                            "--wait",
                            "--timeout",
                            "5m",
                            "-f",
                            TestCluster.REPOSITORY
                                    .resolve("values/umbrella-example.yaml")
                                    .toString())
                    .orThrow();
            assertThat(cluster.kubectl(
                                    "get",
                                    "deployments",
                                    "-n",
                                    namespace,
                                    "-o",
                                    "jsonpath={.items[*].status.availableReplicas}")
                            .orThrow())
                    .isEqualTo("1");
        } finally {
            cluster.helm("uninstall", "platform", "-n", namespace, "--wait").orThrow();
            Operators.cleanSlate(cluster);
            serveTheCrd();
        }
    }

    private static void assertAccepted(String rendered) {
        StringBuilder served = new StringBuilder();
        int objects = 0;
        for (String document : DOCUMENT.split(rendered)) {
            if (document.isBlank()
                    || !document.contains("kind:")
                    || THIRD_PARTY_GROUPS.stream().anyMatch(g -> document.contains("apiVersion: " + g + "/"))) {
                continue;
            }
            served.append("---\n").append(document).append('\n');
            objects++;
        }
        assertThat(objects).isPositive();
        Command apply =
                cluster.kubectlWithInput(served.toString(), "apply", "--dry-run=server", "-n", "default", "-f", "-");
        assertThat(apply.exit()).as(apply.stderr()).isZero();
        assertThat(apply.stdout()
                        .lines()
                        .filter(l -> l.contains("(server dry run)"))
                        .count())
                .isEqualTo(objects);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> tree = Files.walk(from)) {
            for (Path source : tree.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
