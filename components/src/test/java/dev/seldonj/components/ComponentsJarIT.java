package dev.seldonj.components;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each example component starts with one command: {@code java -jar seldonj-components.jar <name>}. */
class ComponentsJarIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mockClassifierJarAnswersLikeSeldonsImage() throws Exception {
        String answer = runAndPredict("mock-classifier", "{\"data\":{\"ndarray\":[[1.0,2.0,5.0]]}}");
        assertThat(JSON.readTree(answer))
                .isEqualTo(
                        JSON.readTree("{\"meta\":{\"requestPath\":{\"classifier\":\"seldonio/mock_classifier:1.0\"}},"
                                + "\"data\":{\"names\":[\"proba\"],\"ndarray\":[[0.43782349911420193]]}}"));
    }

    @Test
    void identityJarEchoes() throws Exception {
        String answer = runAndPredict("identity-model", "{\"data\":{\"tensor\":{\"shape\":[1,2],\"values\":[3,4]}}}");
        assertThat(JSON.readTree(answer).at("/data/tensor/values")).isEqualTo(JSON.readTree("[3.0,4.0]"));
    }

    @Test
    void aBadConfigurationStopsStartUpWithItsReason() throws Exception {
        Path jar = Path.of(System.getProperty("seldonj.components.jar", "target/seldonj-components.jar"));
        ProcessBuilder pb =
                new ProcessBuilder(javaBin(), "-jar", jar.toString(), "mock-classifier").redirectErrorStream(true);
        pb.environment()
                .put("PREDICTIVE_UNIT_PARAMETERS", "[{\"name\":\"intValue\",\"value\":\"one\",\"type\":\"INT\"}]");
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output.strip())
                .isEqualTo("seldonj: cannot start: PREDICTIVE_UNIT_PARAMETERS[0] (intValue): \"one\" is not an INT");
    }

    private static String runAndPredict(String component, String request) throws Exception {
        Path jar = Path.of(System.getProperty("seldonj.components.jar", "target/seldonj-components.jar"));
        assertThat(jar).exists();
        int http = freePort();
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", jar.toString(), component);
        pb.environment().put("PREDICTIVE_UNIT_HTTP_SERVICE_PORT", String.valueOf(http));
        pb.environment().put("PREDICTIVE_UNIT_GRPC_SERVICE_PORT", String.valueOf(freePort()));
        pb.environment().put("PREDICTIVE_UNIT_METRICS_SERVICE_PORT", String.valueOf(freePort()));
        pb.environment().put("PREDICTIVE_UNIT_ID", "classifier");
        pb.environment().put("PREDICTIVE_UNIT_IMAGE", "seldonio/mock_classifier:1.0");
        File log = Files.createTempFile("seldonj-" + component, ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        long started = System.nanoTime();
        Process process = pb.start();
        try {
            awaitReady(process, http, log);
            System.out.printf("%s ready in %d ms%n", component, (System.nanoTime() - started) / 1_000_000);
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/predict"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(request))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            return r.body();
        } finally {
            process.destroy();
            assertThat(process.waitFor(20, TimeUnit.SECONDS))
                    .as("stops on SIGTERM")
                    .isTrue();
        }
    }

    /** Polls /health/ping until it answers; fails at once if the process dies, with its log. */
    private static void awaitReady(Process process, int port, File log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ping"))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(
                        "component exited with " + process.exitValue() + ":\n" + Files.readString(log.toPath()));
            }
            try {
                if (HTTP.send(ping, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            }
            process.waitFor(20, TimeUnit.MILLISECONDS); // returns early if the process exits
        }
        throw new AssertionError("not ready within 60 s:\n" + Files.readString(log.toPath()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
