package dev.seldonj.e2e.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.e2e.cluster.BackgroundProcess;
import dev.seldonj.e2e.cluster.Command;
import dev.seldonj.e2e.cluster.Gateway;
import dev.seldonj.e2e.cluster.LocalGcs;
import dev.seldonj.e2e.cluster.TestCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SKLEARN_SERVER, XGBOOST_SERVER and MLFLOW_SERVER, each in both protocols the operator offers (the
 * project's servers on the Seldon protocol, MLServer on v2), rendered by the controller and run by the
 * local runner behind the engine, each reading its model through the storage initializer from another
 * scheme: {@code gs://} (fake-gcs-server), {@code s3://} (moto, with credentials), {@code pvc://},
 * {@code file://} and {@code http://}, all on loopback. The models are trained here, by the Python of the
 * virtualenv that serves them.
 */
class PrepackagedServersLocalIT {

    private static final Path REPO = TestCluster.REPOSITORY;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern GATEWAY = Pattern.compile("http://localhost:(\\d+)/seldon/");
    private static final List<BackgroundProcess> SERVICES = new ArrayList<>();
    private static final Map<String, String> RUNNER_ENV = new HashMap<>();
    private static Path work;
    private static String httpBase;

    record Case(String implementation, String protocol, String venv, String kind, String scheme) {
        @Override
        public String toString() {
            return implementation + " " + protocol + " from " + scheme;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                        new Case("SKLEARN_SERVER", "seldon", ".venv-servers/sklearn", "sklearn", "gs"),
                        new Case("SKLEARN_SERVER", "v2", ".venv-mlserver", "sklearn", "pvc"),
                        new Case("XGBOOST_SERVER", "seldon", ".venv-servers/xgboost", "xgboost", "http"),
                        new Case("XGBOOST_SERVER", "v2", ".venv-mlserver", "xgboost", "file"),
                        new Case("MLFLOW_SERVER", "seldon", ".venv-servers/mlflow", "mlflow", "s3"),
                        new Case("MLFLOW_SERVER", "v2", ".venv-mlserver", "mlflow", "gs"))
                .map(Arguments::of);
    }

    @BeforeAll
    static void storage() throws Exception {
        work = Files.createTempDirectory("prepackaged-it");
        LocalGcs gcs = LocalGcs.start("127.0.0.1");
        SERVICES.add(gcs.process());
        RUNNER_ENV.put("RCLONE_CONFIG_GS_TYPE", "google cloud storage");
        RUNNER_ENV.put("RCLONE_CONFIG_GS_ANONYMOUS", "true");
        RUNNER_ENV.put("RCLONE_CONFIG_GS_ENDPOINT", gcs.endpoint());

        int s3Port = LocalGcs.freePort();
        BackgroundProcess moto = BackgroundProcess.start(
                List.of(
                        REPO.resolve(".venv-storage/bin/moto_server").toString(),
                        "-H",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(s3Port)),
                Map.of());
        SERVICES.add(moto);
        moto.awaitLine(l -> l.contains("Running on"), Duration.ofMinutes(1));
        RUNNER_ENV.put("RCLONE_CONFIG_S3_TYPE", "s3");
        RUNNER_ENV.put("RCLONE_CONFIG_S3_PROVIDER", "Other");
        RUNNER_ENV.put("RCLONE_CONFIG_S3_ENDPOINT", "http://127.0.0.1:" + s3Port);
        RUNNER_ENV.put("RCLONE_CONFIG_S3_ACCESS_KEY_ID", "model-reader");
        RUNNER_ENV.put("RCLONE_CONFIG_S3_SECRET_ACCESS_KEY", "model-reader-secret");
        rclone("mkdir", "s3:models");

        Path httpRoot = Files.createDirectories(work.resolve("http"));
        int httpPort = LocalGcs.freePort();
        BackgroundProcess http = BackgroundProcess.start(
                List.of(
                        "python3",
                        "-u",
                        "-m",
                        "http.server",
                        "--bind",
                        "127.0.0.1",
                        "--directory",
                        httpRoot.toString(),
                        String.valueOf(httpPort)),
                Map.of());
        SERVICES.add(http);
        http.awaitLine(l -> l.contains("Serving HTTP"), Duration.ofMinutes(1));
        httpBase = "http://127.0.0.1:" + httpPort;
        python(".venv-servers/sklearn", "iris", work.resolve("iris.npz").toString());
    }

    @AfterAll
    static void stop() {
        SERVICES.forEach(BackgroundProcess::close);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void servesThroughTheEngineFromItsStorage(Case c) throws Exception {
        Path model = work.resolve(c.implementation() + "-" + c.protocol());
        List<String> train = new ArrayList<>(List.of(c.kind(), model.toString()));
        if (c.kind().equals("xgboost")) {
            train.add(work.resolve("iris.npz").toString());
        }
        python(c.venv(), train.toArray(String[]::new));
        JsonNode expected = JSON.readTree(model.resolve("expected.json").toFile());
        Files.delete(model.resolve("expected.json"));

        String name = (c.kind() + "-" + c.protocol()).toLowerCase();
        String uri = stage(c.scheme(), model, name);
        Path manifest = work.resolve(name + ".yaml");
        Files.writeString(manifest, """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: %s}
        spec:
          protocol: %s
          predictors:
          - name: default
            graph: {name: classifier, implementation: %s, modelUri: "%s", children: []}
        """.formatted(name, c.protocol(), c.implementation(), uri));

        try (BackgroundProcess run = BackgroundProcess.start(
                List.of(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-jar",
                        REPO.resolve("local/target/seldonj-local.jar").toString(),
                        "run",
                        "-f",
                        manifest.toString(),
                        "--gateway-port",
                        "0",
                        "--repo-dir",
                        REPO.toString(),
                        "--pvc-dir",
                        work.resolve("pvc").toString()),
                RUNNER_ENV)) {
            Matcher port = GATEWAY.matcher(run.awaitLine(l -> GATEWAY.matcher(l).find(), Duration.ofMinutes(4)));
            assertThat(port.find()).isTrue();
            String base = "http://localhost:" + port.group(1) + "/seldon/default/" + name;
            List<Integer> classes =
                    c.protocol().equals("v2") ? v2Classes(base, expected, c) : seldonClasses(base, expected);
            assertThat(classes).as(run.output()).containsExactly(0, 1, 2);
            String output = run.output();
            assertThat(output).contains("storage-initializer: copied");
            // what the initializer fetched and how long the whole pod took to serve, for the record in the test report
            output.lines()
                    .filter(l -> l.contains("storage-initializer: copied") || l.contains("storage-initializer: done"))
                    .forEach(l -> System.out.println(c + " | " + l.substring(l.indexOf("storage-initializer:"))));
        }
    }

    private static List<Integer> seldonClasses(String base, JsonNode expected) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        request.putObject("data").set("ndarray", expected.get("rows"));
        JsonNode answer = post(base + "/api/v1.0/predictions", request);
        List<Integer> classes = new ArrayList<>();
        for (JsonNode row : answer.at("/data/ndarray")) {
            classes.add(row.isArray() ? Gateway.argmax(row) : row.asInt());
        }
        return classes;
    }

    private static List<Integer> v2Classes(String base, JsonNode expected, Case c) throws Exception {
        ObjectNode request = JSON.createObjectNode();
        ArrayNode inputs = request.putArray("inputs");
        JsonNode rows = expected.get("rows");
        if (c.kind().equals("mlflow")) {
            // the model's signature names its columns: one input per column, as a pandas frame
            request.putObject("parameters").put("content_type", "pd");
            for (int col = 0; col < expected.get("names").size(); col++) {
                ObjectNode input = inputs.addObject()
                        .put("name", expected.get("names").get(col).asText())
                        .put("datatype", "FP64");
                input.putArray("shape").add(rows.size());
                ArrayNode data = input.putArray("data");
                for (JsonNode row : rows) {
                    data.add(row.get(col));
                }
            }
        } else {
            ObjectNode input = inputs.addObject().put("name", "input").put("datatype", "FP64");
            input.putArray("shape").add(rows.size()).add(rows.get(0).size());
            ArrayNode data = input.putArray("data");
            rows.forEach(row -> row.forEach(data::add));
        }
        JsonNode output = post(base + "/v2/models/classifier/infer", request).at("/outputs/0");
        List<Integer> classes = new ArrayList<>();
        JsonNode data = output.get("data");
        JsonNode shape = output.get("shape");
        if (shape.size() == 2 && shape.get(1).asInt() > 1) {
            int width = shape.get(1).asInt();
            for (int r = 0; r < shape.get(0).asInt(); r++) {
                ArrayNode row = JSON.createArrayNode();
                for (int k = 0; k < width; k++) {
                    row.add(data.get(r * width + k));
                }
                classes.add(Gateway.argmax(row));
            }
        } else {
            data.forEach(v -> classes.add(v.asInt()));
        }
        return classes;
    }

    /** Puts the model where the scheme reads it and returns its modelUri. */
    private static String stage(String scheme, Path model, String name) throws IOException {
        switch (scheme) {
            case "gs" -> {
                rclone("copy", model.toString(), "gs:seldon-models/it/" + name);
                return "gs://seldon-models/it/" + name;
            }
            case "s3" -> {
                rclone("copy", model.toString(), "s3:models/" + name);
                return "s3://models/" + name;
            }
            case "pvc" -> {
                Path claim = Files.createDirectories(work.resolve("pvc/models-claim"));
                Files.move(model, claim.resolve(name));
                return "pvc://models-claim/" + name;
            }
            case "http" -> {
                Path file = Files.list(model)
                        .filter(p -> p.getFileName().toString().startsWith("model."))
                        .findFirst()
                        .orElseThrow();
                Files.copy(file, work.resolve("http").resolve(file.getFileName()));
                return httpBase + "/" + file.getFileName();
            }
            default -> {
                return "file://" + model;
            }
        }
    }

    private static void python(String venv, String... args) {
        List<String> argv = new ArrayList<>(List.of(
                REPO.resolve(venv).resolve("bin/python").toString(),
                REPO.resolve("servers/tests/train.py").toString()));
        argv.addAll(List.of(args));
        Command.run(argv, Map.of(), null, Duration.ofMinutes(3)).orThrow();
    }

    private static void rclone(String... args) {
        List<String> argv = new ArrayList<>(List.of("rclone"));
        argv.addAll(List.of(args));
        Map<String, String> env = new HashMap<>(RUNNER_ENV);
        // a CA bundle in the environment makes Debian's rclone refuse every S3 remote (the initializer handles it)
        env.put("AWS_CA_BUNDLE", "");
        Command.run(argv, env, null, Duration.ofMinutes(1)).orThrow();
    }

    private static JsonNode post(String url, JsonNode body) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(url + " -> " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }
}
