package dev.seldonj.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * controller/Dockerfile and the operator chart describe one container: the chart's command and args
 * replace the image's ENTRYPOINT and CMD, its runAsUser and read-only root filesystem must suit the
 * image, and the jar the image copies is the one the controller module builds.
 */
class ControllerImageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCKERFILE = HelmChart.REPOSITORY.resolve("controller/Dockerfile");

    private static String instruction(String name) throws IOException {
        List<String> found = Files.readAllLines(DOCKERFILE).stream()
                .filter(line -> line.startsWith(name + " "))
                .map(line -> line.substring(name.length() + 1).trim())
                .toList();
        assertThat(found).as(name + " in " + DOCKERFILE).hasSize(1);
        return found.get(0);
    }

    /** The pod spec of the chart's controller Deployment. */
    private static JsonNode controllerPod() {
        return HelmChart.template("seldon-core-operator", "seldon-core-operator", "seldon-system", Map.of()).stream()
                .filter(o -> o.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .at("/spec/template/spec");
    }

    @Test
    void theChartsCommandIsTheImagesEntrypointAndCmd() throws IOException {
        JsonNode manager = controllerPod().path("containers").get(0);
        assertThat(JSON.readTree(instruction("ENTRYPOINT"))).isEqualTo(manager.path("command"));
        assertThat(JSON.readTree(instruction("CMD"))).isEqualTo(manager.path("args"));
    }

    @Test
    void theImageRunsAsTheChartsNonRootUserWithAWritableTmpOnly() throws IOException {
        JsonNode pod = controllerPod();
        assertThat(instruction("USER"))
                .isEqualTo(pod.at("/securityContext/runAsUser").asText());
        JsonNode manager = pod.path("containers").get(0);
        assertThat(manager.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(manager.path("volumeMounts").findValuesAsText("mountPath")).contains("/tmp");
        assertThat(manager.path("env").findValuesAsText("name")).contains("JAVA_TOOL_OPTIONS");
    }

    @Test
    void theImageCopiesTheJarTheControllerModuleBuilds() throws IOException {
        String[] copy = instruction("COPY").split("\\s+");
        assertThat(copy)
                .containsExactly("controller/target/seldonj-controller-0.1.0-SNAPSHOT.jar", "/app/controller.jar");
        assertThat(HelmChart.REPOSITORY.resolve(copy[0]))
                .as("built by mvn -pl controller package")
                .isRegularFile();
    }
}
