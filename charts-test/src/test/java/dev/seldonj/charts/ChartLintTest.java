package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** `helm lint --strict` on every chart under charts/. */
class ChartLintTest {

    static Stream<Path> charts() throws IOException {
        try (Stream<Path> dirs = Files.list(Repository.CHARTS)) {
            return dirs.filter(dir -> Files.isRegularFile(dir.resolve("Chart.yaml"))).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void lintsStrictly(Path chart) {
        assertLintsStrictly(chart);
    }

    static void assertLintsStrictly(Path chart) {
        LintResult result = new Helm(chart).lint().strict().call();
        assertThat(result.isFailed())
                .as("helm lint --strict %s: %s", chart.getFileName(), result.getMessages())
                .isFalse();
        assertThat(result.getMessages())
                .as("lint messages of %s", chart.getFileName())
                .noneMatch(message -> message.startsWith("[ERROR]") || message.startsWith("[WARNING]"));
        assertThat(Files.isRegularFile(chart.resolve("values.schema.json")))
                .as("%s has a values schema", chart.getFileName())
                .isTrue();
        assertThat(Files.isRegularFile(chart.resolve("templates").resolve("NOTES.txt")))
                .as("%s has NOTES.txt", chart.getFileName())
                .isTrue();
    }
}
