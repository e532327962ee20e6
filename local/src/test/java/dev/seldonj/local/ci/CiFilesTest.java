package dev.seldonj.local.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Keeps the kind flow in {@code ci/} correct where it cannot run (no Docker here): its manifests are
 * Kubernetes objects (SeldonDeployments valid by the api's validators), the files it applies exist,
 * every {@code --set} it passes to a chart of this repository names a value of that chart, and the
 * workflow runs the script.
 */
class CiFilesTest {

    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Path ROOT = root();
    private static final Path CI = ROOT.resolve("ci");
    private static final Path CHARTS = Path.of(
            System.getProperty("seldonj.charts.dir", ROOT.resolve("charts").toString()));
    private static final Pattern HELM_INSTALL =
            Pattern.compile("helm install \\S+ \"\\$\\{ROOT}/charts/([\\w-]+)\"(.*)");
    private static final Pattern SET = Pattern.compile("--set ([\\w.-]+)=");
    private static final Pattern APPLIED = Pattern.compile("-f \"\\$\\{CI_DIR}/([^\"]+)\"");

    @Test
    void everyManifestIsAKubernetesObjectAndSeldonDeploymentsAreValid() throws IOException {
        List<Path> manifests = files("*.yaml");
        assertThat(manifests).isNotEmpty();
        for (Path file : manifests) {
            String text = Files.readString(file);
            for (JsonNode document : Manifests.documents(text, file.toString())) {
                HasMetadata object = Serialization.unmarshal(document.toString(), HasMetadata.class);
                assertThat(object.getApiVersion()).as(file + " apiVersion").isNotBlank();
                assertThat(object.getKind()).as(file + " kind").isNotBlank();
                assertThat(object.getMetadata().getName())
                        .as(file + " metadata.name")
                        .isNotBlank();
                if ("SeldonDeployment".equals(object.getKind())) {
                    var result = SeldonDeploymentValidator.withDefaults().validate(document);
                    assertThat(result.errors()).as(file + " validation").isEmpty();
                }
            }
        }
    }

    @Test
    void theFilesTheScriptAppliesExist() throws IOException {
        Matcher applied = APPLIED.matcher(script());
        int count = 0;
        while (applied.find()) {
            assertThat(CI.resolve(applied.group(1)))
                    .as("applied by ci/kind-e2e.sh")
                    .isRegularFile();
            count++;
        }
        assertThat(count).isGreaterThanOrEqualTo(2);
    }

    @Test
    void everySetOnARepositoryChartNamesAValueOfThatChart() throws IOException {
        List<String> unchecked = new ArrayList<>();
        int checked = 0;
        for (String line : script().replace("\\\n", " ").split("\n")) {
            Matcher install = HELM_INSTALL.matcher(line.trim());
            if (!install.find()) {
                continue;
            }
            Path chart = CHARTS.resolve(install.group(1));
            Matcher set = SET.matcher(install.group(2));
            while (set.find()) {
                if (!Files.isRegularFile(chart.resolve("values.yaml"))) {
                    unchecked.add(install.group(1) + ": " + set.group(1));
                    continue;
                }
                assertThat(valueExists(chart, set.group(1)))
                        .as(
                                "--set %s: a value of charts/%s (values.yaml or values.schema.json)",
                                set.group(1), install.group(1))
                        .isTrue();
                checked++;
            }
        }
        Assumptions.assumeTrue(unchecked.isEmpty(), "charts not in this checkout, --set not checked: " + unchecked);
        assertThat(checked).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theWorkflowLintsAndRunsTheScriptWithPinnedTools() throws IOException {
        JsonNode workflow =
                YAML.readTree(ROOT.resolve(".github/workflows/kind-e2e.yaml").toFile());
        JsonNode job = workflow.at("/jobs/kind-e2e");
        assertThat(job.path("runs-on").asText()).isEqualTo("ubuntu-latest");
        for (String tool : List.of("KIND_VERSION", "KUBECTL_VERSION", "HELM_VERSION")) {
            assertThat(job.at("/env/" + tool).asText()).as(tool).matches("v\\d+\\.\\d+\\.\\d+");
        }
        List<String> runs = new ArrayList<>();
        job.path("steps").forEach(step -> runs.add(step.path("run").asText()));
        assertThat(runs).contains("make lint-ci", "ci/kind-e2e.sh");
    }

    /** A dotted key is a value when values.yaml has it, or the schema describes it (e.g. model.image.name). */
    private static boolean valueExists(Path chart, String key) throws IOException {
        JsonNode values = YAML.readTree(chart.resolve("values.yaml").toFile());
        JsonNode node = values;
        for (String part : key.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        if (node != null) {
            return true;
        }
        Path schemaFile = chart.resolve("values.schema.json");
        return Files.isRegularFile(schemaFile)
                && inSchema(new ObjectMapper().readTree(schemaFile.toFile()), key.split("\\."), 0);
    }

    private static boolean inSchema(JsonNode schema, String[] parts, int index) {
        if (index == parts.length) {
            return true;
        }
        JsonNode property = schema.path("properties").get(parts[index]);
        if (property != null && inSchema(property, parts, index + 1)) {
            return true;
        }
        for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
            for (JsonNode branch : schema.path(combinator)) {
                if (inSchema(branch, parts, index)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String script() throws IOException {
        return Files.readString(CI.resolve("kind-e2e.sh"));
    }

    private static List<Path> files(String glob) throws IOException {
        try (Stream<Path> stream = Files.list(CI)) {
            var matcher = CI.getFileSystem().getPathMatcher("glob:" + glob);
            return stream.filter(p -> matcher.matches(p.getFileName())).sorted().toList();
        }
    }

    private static Path root() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("ci/kind-e2e.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "ci/kind-e2e.sh not found above " + Path.of("").toAbsolutePath());
    }
}
