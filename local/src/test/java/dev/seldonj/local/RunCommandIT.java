package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.local.cli.LocalCommand;
import dev.seldonj.local.testing.FakeModel;
import dev.seldonj.local.testing.RenderedObjects;
import dev.seldonj.local.testing.TestImages;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line as users run it, in its own JVM: {@code run --objects} starts everything, prints
 * the curl command, serves it, and a SIGTERM (what Ctrl-C's shutdown hook also handles) stops every
 * process it started.
 */
class RunCommandIT {

    @TempDir
    Path dir;

    @Test
    void runServesTheDeploymentPrintsCurlAndStopsEverythingOnSigterm() throws Exception {
        // Seed 004's example, its mock classifier image played by the fake model (a user entry wins over built-ins).
        String objects = RenderedObjects.of(RenderedObjects.seed004()).stream()
                .map(Serialization::asYaml)
                .collect(Collectors.joining());
        Path objectsFile = Files.writeString(dir.resolve("objects.yaml"), objects);
        Path images = TestImages.write(
                dir,
                Map.of(
                        "seldonio/mock_classifier",
                        List.of(TestImages.JAVA, "-cp", TestImages.CLASSPATH, FakeModel.class.getName())));
        Process runner = new ProcessBuilder(
                        TestImages.JAVA,
                        "-cp",
                        TestImages.CLASSPATH,
                        LocalCommand.class.getName(),
                        "run",
                        "--objects",
                        objectsFile.toString(),
                        "--images",
                        images.toString(),
                        "--gateway-port",
                        "0",
                        "--seed",
                        "1",
                        "--repo-dir",
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String curl = null;
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.trim().startsWith("curl ")) {
                    curl = line.trim();
                }
                if (line.startsWith("runner | Ctrl-C")) {
                    break;
                }
            }
            assertThat(curl).as("output:\n%s", String.join("\n", lines)).isNotNull();
            assertThat(lines)
                    .anyMatch(l -> l.startsWith("seldon-model-example-0-classifier/classifier | model classifier"));
            String url = curl.substring(curl.lastIndexOf(' ') + 1);
            assertThat(url).matches("http://localhost:\\d+/seldon/default/seldon-model/api/v1\\.0/predictions");

            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url.replace("localhost", "127.0.0.1")))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"data\":{\"names\":[\"a\",\"b\"],\"ndarray\":[[1,2]]}}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body())
                    .contains("\"names\":[\"a\",\"b\"]")
                    .contains("\"classifier\":\"seldonio/mock_classifier:1.0\"");

            List<ProcessHandle> children = runner.toHandle().descendants().toList();
            assertThat(children).hasSizeGreaterThanOrEqualTo(2);
            runner.destroy();
            assertThat(runner.waitFor(60, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle child : children) {
                assertThat(child.onExit().get(30, TimeUnit.SECONDS).isAlive())
                        .as("pid %d alive", child.pid())
                        .isFalse();
            }
        } finally {
            runner.destroyForcibly();
        }
    }
}
