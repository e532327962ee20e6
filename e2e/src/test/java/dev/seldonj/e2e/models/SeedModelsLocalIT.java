package dev.seldonj.e2e.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.e2e.cluster.BackgroundProcess;
import dev.seldonj.e2e.cluster.Command;
import dev.seldonj.e2e.cluster.Gateway;
import dev.seldonj.e2e.cluster.LocalGcs;
import dev.seldonj.e2e.cluster.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seeds' SKLEARN_SERVER SeldonDeployments, unchanged (examples/seeds), on this machine with the local
 * runner: a local Google Cloud Storage (fake-gcs-server) holds the bucket {@code seldon-models} with an iris
 * model trained on the spot; the storage initializer copies {@code gs://seldon-models/...} into the pod's
 * model folder; the project's sklearn server serves it behind the engine; curl and Seldon's SeldonClient
 * predict through the gateway.
 */
class SeedModelsLocalIT {

    private static final Path REPO = TestCluster.REPOSITORY;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern GATEWAY = Pattern.compile("http://localhost:(\\d+)/seldon/");
    private static LocalGcs gcs;
    private static String endpoint;

    @BeforeAll
    static void localGcs() throws Exception {
        gcs = LocalGcs.start("127.0.0.1");
        endpoint = gcs.endpoint();
    }

    @AfterAll
    static void stop() {
        if (gcs != null) {
            gcs.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-000-sklearn-iris.yaml", "seed-002-sklearn-iris.yaml"})
    void theSeedsManifestServesIrisProbabilitiesThroughTheGateway(String manifest) throws Exception {
        try (BackgroundProcess run = BackgroundProcess.start(
                List.of(
                        javaCommand(),
                        "-jar",
                        REPO.resolve("local/target/seldonj-local.jar").toString(),
                        "run",
                        "-f",
                        REPO.resolve("examples/seeds").resolve(manifest).toString(),
                        "--gateway-port",
                        "0",
                        "--repo-dir",
                        REPO.toString()),
                Map.of("RCLONE_CONFIG_GS_ENDPOINT", endpoint))) {
            Matcher port = GATEWAY.matcher(run.awaitLine(l -> GATEWAY.matcher(l).find(), Duration.ofMinutes(3)));
            assertThat(port.find()).isTrue();
            String url = "http://localhost:" + port.group(1) + "/seldon/default/sklearn/api/v1.0/predictions";

            Command curl = Command.run(
                    List.of(
                            "curl",
                            "-sS",
                            "--fail-with-body",
                            "-X",
                            "POST",
                            "-H",
                            "Content-Type: application/json",
                            "-d",
                            "{\"data\":{\"ndarray\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}}",
                            url),
                    Map.of(),
                    null,
                    Duration.ofSeconds(60));
            JsonNode answer = JSON.readTree(curl.orThrow());
            assertThat(answer.at("/data/names").toString()).isEqualTo("[\"t:0\",\"t:1\",\"t:2\"]");
            JsonNode rows = answer.at("/data/ndarray");
            assertThat(rows.size()).isEqualTo(2);
            assertThat(Gateway.argmax(rows.get(0))).as("setosa").isZero();
            assertThat(Gateway.argmax(rows.get(1))).as("virginica").isEqualTo(2);
            assertThat(rows.get(0).get(0).asDouble()
                            + rows.get(0).get(1).asDouble()
                            + rows.get(0).get(2).asDouble())
                    .isCloseTo(1.0, Offset.offset(1e-9));
            assertThat(answer.at("/meta/requestPath/classifier").asText()).startsWith("seldonj/sklearnserver:");

            Command client = Command.run(
                    List.of(
                            REPO.resolve(".venv/bin/python").toString(),
                            REPO.resolve("ci/seldon_client_predict.py").toString(),
                            "--deployment",
                            "sklearn",
                            "--namespace",
                            "default",
                            "--endpoint",
                            "localhost:" + port.group(1)),
                    Map.of(),
                    null,
                    Duration.ofMinutes(2));
            assertThat(client.exit()).as(client.stdout() + client.stderr()).isZero();
            assertThat(client.stdout()).contains("rest/ndarray: success=True", "grpc/tensor: success=True");
            assertThat(run.output()).contains("storage-initializer: copied 1 file");
        }
    }

    @Test
    void aModelUriWithNothingBehindItStopsTheRunNamingTheUri() throws Exception {
        Path manifest = Files.createTempFile("missing-model", ".yaml");
        Files.writeString(
                manifest,
                Files.readString(REPO.resolve("examples/seeds/seed-002-sklearn-iris.yaml"))
                        .replace("gs://seldon-models/v1.15.0-dev/sklearn/iris", "gs://seldon-models/no/such/model"));
        Command run = Command.run(
                List.of(
                        javaCommand(),
                        "-jar",
                        REPO.resolve("local/target/seldonj-local.jar").toString(),
                        "run",
                        "-f",
                        manifest.toString(),
                        "--gateway-port",
                        "0",
                        "--repo-dir",
                        REPO.toString()),
                Map.of("RCLONE_CONFIG_GS_ENDPOINT", endpoint),
                null,
                Duration.ofMinutes(2));
        assertThat(run.exit()).isNotZero();
        assertThat(run.stdout() + run.stderr())
                .contains("gs://seldon-models/no/such/model")
                .contains("classifier-model-initializer");
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
