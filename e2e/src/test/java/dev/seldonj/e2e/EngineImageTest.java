package dev.seldonj.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.desired.config.OperatorConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * engine/Dockerfile and the operator agree on the engine container: the operator sets
 * JAVA_TOOL_OPTIONS (engine.java-opts), which replaces the image's, so whatever start-up depends on
 * (the class-data-sharing archive the image builds) must be on the entrypoint's command line.
 */
class EngineImageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCKERFILE = HelmChart.REPOSITORY.resolve("engine/Dockerfile");

    private static List<String> lines() throws IOException {
        return Files.readAllLines(DOCKERFILE);
    }

    @Test
    void theArchiveTheImageBuildsIsNamedOnTheEntrypointNotInJavaToolOptions() throws IOException {
        Matcher built = Pattern.compile("-XX:ArchiveClassesAtExit=(\\S+)").matcher(String.join("\n", lines()));
        assertThat(built.find()).as("the image builds a CDS archive").isTrue();
        String archive = built.group(1);

        String entrypoint = lines().stream()
                .filter(l -> l.startsWith("ENTRYPOINT "))
                .findFirst()
                .orElseThrow();
        List<String> command =
                JSON.readerForListOf(String.class).readValue(entrypoint.substring("ENTRYPOINT ".length()));
        assertThat(command).contains("-XX:SharedArchiveFile=" + archive);
        assertThat(lines().stream().filter(l -> l.startsWith("ENV JAVA_TOOL_OPTIONS")))
                .allSatisfy(l -> assertThat(l).doesNotContain("SharedArchiveFile"));
        assertThat(OperatorConfigLoader.defaults().engine().javaOpts())
                .as("the operator replaces the image's JAVA_TOOL_OPTIONS")
                .isNotBlank();
    }
}
