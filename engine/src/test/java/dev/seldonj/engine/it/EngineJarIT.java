package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import io.seldon.protos.SeldonGrpc;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The runnable jar, started as a process the way Seldon's operator or the local runner starts it. */
class EngineJarIT {

    /** What the last started process logged up to its "serving" line. */
    private static final AtomicReference<String> startUpLog = new AtomicReference<>("");

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("seldonj-engine-.*\\.jar")
                            && !f.getFileName().toString().startsWith("original-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("run mvn package first: no engine jar in target/"));
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the jar and waits for its "serving" log line (or its exit). */
    private static Process start(List<String> args, String enginePredictor) throws Exception {
        return start(args, enginePredictor == null ? Map.of() : Map.of("ENGINE_PREDICTOR", enginePredictor));
    }

    private static Process start(List<String> args, Map<String, String> env) throws Exception {
        return start(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()), args, env);
    }

    /** {@code java} is the JVM and its options before {@code -jar}. */
    private static Process start(List<String> java, List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(java);
        cmd.addAll(List.of("-Xmx128m", "-jar", jar().toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment()
                .keySet()
                .removeAll(List.of(
                        "ENGINE_PREDICTOR",
                        "REQUEST_LOGGER_DEFAULT_ENDPOINT",
                        "POD_NAME",
                        "LOGGER_KAFKA_BROKER",
                        "CORS_ALLOWED_ORIGINS",
                        "CORS_ALLOWED_HEADERS"));
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> serving = CompletableFuture.supplyAsync(() -> {
            StringBuilder seen = new StringBuilder();
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    seen.append(line).append('\n');
                    if (line.contains("seldonj engine serving")) {
                        startUpLog.set(seen.toString());
                        return line;
                    }
                }
            } catch (IOException e) {
                seen.append(e);
            }
            throw new IllegalStateException("engine exited before serving:\n" + seen);
        });
        // The jar logs as its LogConfiguration sets up (no logback.xml inside): time, level, simple logger name.
        assertThat(serving.get(120, TimeUnit.SECONDS))
                .matches(
                        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  EngineMain - seldonj engine serving .*, started in \\d+ ms");
        return p;
    }

    /** A SeldonDeployment file whose one predictor {@code p} is the built-in SIMPLE_MODEL {@code stub}. */
    private static Path stubGraph(String apiVersion, String name) throws IOException {
        Path file = Files.createTempFile("sdep", ".yaml");
        Files.writeString(file, """
        apiVersion: %s
        kind: SeldonDeployment
        metadata:
          name: %s
        spec:
          predictors:
          - name: p
            graph:
              name: stub
              implementation: SIMPLE_MODEL
        """.formatted(apiVersion, name));
        return file;
    }

    private static HttpResponse<String> post(int port, String body) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1.0/predictions"))
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesRestAndGrpcFromAFile() throws Exception {
        Path file = stubGraph("machinelearning.seldon.io/v1alpha2", "jar-test");
        int http = freePort();
        int grpc = freePort();
        Process p =
                start(List.of("--file", file.toString(), "--http_port", "" + http, "--grpc_port", "" + grpc), Map.of());
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc)
                .usePlaintext()
                .build();
        try {
            HttpResponse<String> res = post(http, "{\"data\":{\"ndarray\":[[1]]}}");
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.body()).contains("\"requestPath\":{\"stub\":\"SIMPLE_MODEL\"}");

            SeldonMessage answer = SeldonGrpc.newBlockingStub(channel)
                    .predict(SeldonMessage.newBuilder()
                            .setData(DefaultData.newBuilder()
                                    .setTensor(Tensor.newBuilder().addShape(1).addValues(1)))
                            .build());
            assertThat(answer.getData().getTensor().getValuesList()).containsExactly(0.1, 0.9, 0.5);
            // micronaut-grpc's health service, whose beans the jar keeps (pom: the bean definitions left out).
            assertThat(HealthGrpc.newBlockingStub(channel)
                            .check(HealthCheckRequest.getDefaultInstance())
                            .getStatus())
                    .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        } finally {
            channel.shutdownNow();
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    /**
     * The image's JVM and command line (engine/Dockerfile: JDK 25 with the vector module): megabyte
     * payload arrays are checked with vectors and get the answer, or the error at the same byte, that
     * plain Java gives. JDK25_HOME is the JDK the build found (the Makefile exports it).
     */
    @Test
    void checksLargePayloadsWithVectorsOnTheImagesJvm() throws Exception {
        String jdk25 = System.getenv("JDK25_HOME");
        Assumptions.assumeTrue(
                jdk25 != null && Files.isExecutable(Path.of(jdk25, "bin", "java")), "no JDK 25 (JDK25_HOME)");
        Path file = stubGraph("machinelearning.seldon.io/v1", "vectors");
        int http = freePort();
        Process p = start(
                List.of(
                        Path.of(jdk25, "bin", "java").toString(),
                        "--add-modules",
                        "jdk.incubator.vector",
                        "--enable-native-access=ALL-UNNAMED"),
                List.of("--file", file.toString(), "--http_port", "" + http, "--grpc_port", "" + freePort()),
                Map.of());
        try {
            assertThat(startUpLog.get()).containsPattern("JSON payload arrays checked with \\d+-bit vectors");
            StringBuilder rows = new StringBuilder();
            for (int r = 0; r < 110; r++) {
                rows.append(r == 0 ? "[" : ", [");
                for (int c = 0; c < 1000; c++) {
                    rows.append(c == 0 ? "" : ", ").append(c % 3 == 0 ? "-0.5" : "0.8444218515250481");
                }
                rows.append(']');
            }
            String valid = "{\"data\":{\"ndarray\":[" + rows + "]}}";
            assertThat(valid.length()).isGreaterThan(1 << 20);
            assertThat(post(http, valid).statusCode()).isEqualTo(200);

            for (int at : new int[] {1_000, 524_287, 1_000_003}) {
                int digit = valid.indexOf("0.84442", at) + 4;
                String broken = valid.substring(0, digit) + "." + valid.substring(digit + 1);
                HttpResponse<String> res = post(http, broken);
                assertThat(res.statusCode()).isEqualTo(400);
                assertThat(res.body()).contains("invalid JSON at byte " + digit + ": unexpected '.'");
            }
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void acceptsTheSeldonOperatorsCommandLineAndEnginePredictor() throws Exception {
        String predictor = "{\"name\":\"p\",\"graph\":{\"name\":\"stub\",\"implementation\":\"SIMPLE_MODEL\"},"
                + "\"componentSpecs\":[],\"labels\":{\"version\":\"p\"}}";
        int http = freePort();
        Process p = start(
                List.of(
                        "--sdep",
                        "my-sdep",
                        "--namespace",
                        "ns",
                        "--predictor",
                        "p",
                        "--http_port",
                        "" + http,
                        "--grpc_port",
                        "" + freePort(),
                        "--protocol",
                        "seldon",
                        "--transport",
                        "rest",
                        "--prometheus_path",
                        "/prometheus",
                        "--server_type",
                        "rpc",
                        "--log_work_buffer_size",
                        "10000",
                        "--log_write_timeout_ms",
                        "2000",
                        "--full_health_checks=false"),
                Base64.getEncoder().encodeToString(predictor.getBytes(StandardCharsets.UTF_8)));
        try {
            assertThat(post(http, "{\"data\":{\"ndarray\":[[1]]}}").statusCode())
                    .isEqualTo(200);
            String metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/prometheus"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertThat(metrics).contains("deployment_name=\"my-sdep\"");
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void logsPayloadsToTheDefaultEndpointFromTheEnvironmentWithThePodAsSource() throws Exception {
        String predictor = "{\"name\":\"p\",\"graph\":{\"name\":\"stub\",\"implementation\":\"SIMPLE_MODEL\","
                + "\"logger\":{\"mode\":\"all\"}},\"componentSpecs\":[]}";
        int http = freePort();
        try (LogSink sink = LogSink.answering()) {
            Process p = start(
                    List.of(
                            "--sdep",
                            "my-sdep",
                            "--namespace",
                            "ns",
                            "--predictor",
                            "p",
                            "--http_port",
                            "" + http,
                            "--grpc_port",
                            "" + freePort(),
                            "--log_work_buffer_size",
                            "100",
                            "--log_write_timeout_ms",
                            "2000"),
                    Map.of(
                            "ENGINE_PREDICTOR",
                            Base64.getEncoder().encodeToString(predictor.getBytes(StandardCharsets.UTF_8)),
                            "REQUEST_LOGGER_DEFAULT_ENDPOINT",
                            sink.url("/broker"),
                            "POD_NAME",
                            "my-pod"));
            try {
                assertThat(post(http, "{\"data\":{\"ndarray\":[[1]]}}").statusCode())
                        .isEqualTo(200);
                List<LogSink.Event> events = sink.await(2);
                assertThat(events)
                        .extracting(LogSink.Event::type)
                        .containsExactlyInAnyOrder(
                                "io.seldon.serving.inference.request", "io.seldon.serving.inference.response");
                for (LogSink.Event e : events) {
                    assertThat(e.path()).isEqualTo("/broker");
                    assertThat(e.header("ce-source")).isEqualTo("http://my-pod:" + http + "/");
                    assertThat(e.header("ce-inferenceservicename")).isEqualTo("my-sdep");
                    assertThat(e.header("ce-namespace")).isEqualTo("ns");
                    assertThat(e.header("ce-endpoint")).isEqualTo("p");
                    assertThat(e.header("ce-modelid")).isEqualTo("stub");
                }
            } finally {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void corsAllowedOriginsAndHeadersComeFromTheEnvironment() throws Exception {
        String predictor = "{\"name\":\"p\",\"graph\":{\"name\":\"stub\",\"implementation\":\"SIMPLE_MODEL\"}}";
        int http = freePort();
        Process p = start(
                List.of("--sdep", "s", "--http_port", "" + http, "--grpc_port", "" + freePort()),
                Map.of(
                        "ENGINE_PREDICTOR",
                        Base64.getEncoder().encodeToString(predictor.getBytes(StandardCharsets.UTF_8)),
                        "CORS_ALLOWED_ORIGINS",
                        "https://ui.example,https://admin.example",
                        "CORS_ALLOWED_HEADERS",
                        "Content-Type, X-Team"));
        try {
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> allowed = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/v1.0/predictions"))
                            .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                            .header("Origin", "https://admin.example")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin"))
                    .contains("https://admin.example");
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers"))
                    .contains("Content-Type, X-Team");
            assertThat(allowed.headers().firstValue("Vary")).contains("Origin");

            HttpResponse<String> other = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/v1.0/predictions"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"ndarray\":[1]}}"))
                            .header("Origin", "https://evil.example")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(other.statusCode()).isEqualTo(200);
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin"))
                    .isEmpty();
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void kafkaServerTypeWithoutItsTopicsIsRefusedAtStartUp() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar().toString(),
                        "--dry_run",
                        "--server_type",
                        "kafka")
                .redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_"));
        pb.environment().put("KAFKA_BROKER", "kafka:9092");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out)
                .contains("--kafka_input_topic (engine.kafka-input-topic) (or KAFKA_INPUT_TOPIC) is required with "
                        + "--server_type kafka")
                .doesNotContain("\tat ");
    }

    @Test
    void unknownFlagOrMissingGraphExitsWithAClearMessage() throws Exception {
        Process unknown = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar().toString(),
                        "--bogus",
                        "1")
                .redirectErrorStream(true)
                .start();
        String out = new String(unknown.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(unknown.waitFor()).isEqualTo(2);
        assertThat(out).contains("Unknown options: '--bogus'").doesNotContain("\tat ");

        ProcessBuilder none = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar().toString())
                .redirectErrorStream(true);
        none.environment().remove("ENGINE_PREDICTOR");
        Process missing = none.start();
        String message = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(missing.waitFor()).isEqualTo(1);
        assertThat(message).contains("no graph: pass --file").doesNotContain("\tat ");
        assertThat(new File("target").isDirectory()).isTrue();
    }

    @Test
    void aPortInUseExitsNamingTheServerAndThePort() throws Exception {
        Path file = Path.of("../examples/seldon-model.yaml").toAbsolutePath().normalize();
        try (var taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            for (List<String> ports : List.of(
                    List.of("--http_port", "" + port, "--grpc_port", "0"),
                    List.of("--http_port", "0", "--grpc_port", "" + port))) {
                List<String> cmd = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar().toString(),
                        "--file",
                        file.toString()));
                cmd.addAll(ports);
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor()).isEqualTo(1);
                String server = ports.get(1).equals("" + port) ? "REST" : "gRPC";
                assertThat(out)
                        .contains("cannot start the " + server + " server on port " + port)
                        .doesNotContain("\tat ")
                        .doesNotContain("micronaut");
            }
        }
    }
}
