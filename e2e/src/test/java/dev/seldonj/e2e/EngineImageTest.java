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
 * JAVA_TOOL_OPTIONS (engine.java-opts), which replaces the image's, so whatever start-up and the
 * payload scanner depend on (the ahead-of-time cache the image builds, the vector module) must be on
 * the entrypoint's command line, and the cache's training run must use that same command line.
 */
class EngineImageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOCKERFILE = HelmChart.REPOSITORY.resolve("engine/Dockerfile");
    private static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static List<String> lines() throws IOException {
        return Files.readAllLines(DOCKERFILE);
    }

    private static List<String> entrypoint() throws IOException {
        // The instruction may continue on following lines (a trailing backslash).
        String dockerfile = String.join("\n", lines());
        Matcher entrypoint = Pattern.compile("^ENTRYPOINT (\\[.*?\\])$", Pattern.MULTILINE | Pattern.DOTALL)
                .matcher(dockerfile.replace("\\\n", " "));
        assertThat(entrypoint.find()).as("an ENTRYPOINT in exec form").isTrue();
        return JSON.readerForListOf(String.class).readValue(entrypoint.group(1));
    }

    @Test
    void theCacheTheImageBuildsIsNamedOnTheEntrypointNotInJavaToolOptions() throws IOException {
        String dockerfile = String.join("\n", lines());
        Matcher built =
                Pattern.compile("java (.*)-XX:AOTCacheOutput=(\\S+) -jar").matcher(dockerfile);
        assertThat(built.find()).as("the image builds an AOT cache").isTrue();
        String cache = built.group(2);

        List<String> command = entrypoint();
        assertThat(command).contains("-XX:AOTCache=" + cache);
        assertThat(String.join(" ", command.subList(1, command.indexOf("-XX:AOTCache=" + cache))))
                .as("the training run's options are the entrypoint's (the JVM ignores a cache made with other modules)")
                .isEqualTo(built.group(1).trim());
        assertThat(command).containsSubsequence("--add-modules", VECTOR_MODULE);
        assertThat(lines().stream().filter(l -> l.startsWith("ENV JAVA_TOOL_OPTIONS")))
                .allSatisfy(l -> assertThat(l).doesNotContain("AOTCache").doesNotContain("add-modules"));
        assertThat(OperatorConfigLoader.defaults().engine().javaOpts())
                .as("the operator replaces the image's JAVA_TOOL_OPTIONS")
                .isNotBlank();
    }

    @Test
    void theTrainingRunSeesTheOperatorsDefaultJavaOptions() throws IOException {
        List<String> lines = lines();
        List<String> env = lines.stream()
                .filter(l -> l.startsWith("ENV JAVA_TOOL_OPTIONS="))
                .toList();
        assertThat(env).hasSize(1);
        assertThat(JSON.readValue(env.get(0).substring("ENV JAVA_TOOL_OPTIONS=".length()), String.class))
                .isEqualTo(OperatorConfigLoader.defaults().engine().javaOpts());
        int envLine = lines.indexOf(env.get(0));
        int trainingLine = lines.stream()
                .filter(l -> l.contains("-XX:AOTCacheOutput="))
                .findFirst()
                .map(lines::indexOf)
                .orElseThrow();
        assertThat(envLine).as("ENV comes before the training RUN").isLessThan(trainingLine);
    }
}
