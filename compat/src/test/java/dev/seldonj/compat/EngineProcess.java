package dev.seldonj.compat;

import dev.seldonj.api.defaults.Defaulter;
import dev.seldonj.api.defaults.DefaultingConfig;
import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.Endpoint;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.SeldonDeployment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine's runnable jar started as a process the way Seldon's operator starts its executor: the
 * executor's flags and {@code ENGINE_PREDICTOR} (base64 JSON of the defaulted predictor 0), on free
 * ports. {@link #start} returns once {@code /ready} answers 200, i.e. every node accepts connections.
 */
final class EngineProcess implements EngineCompatibilityContract.RunningEngine {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int grpcPort;

    private EngineProcess(Process process, Path log, int httpPort, int grpcPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.grpcPort = grpcPort;
    }

    /** The jar the compat pom names in {@code seldonj.engine.jar}; fails with the fix when it is missing. */
    static Path jar() {
        String configured = System.getProperty("seldonj.engine.jar");
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(
                    "set -Dseldonj.engine.jar=<engine/target/seldonj-engine-*.jar> (compat's pom does)");
        }
        Path jar = Path.of(configured);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the engine first (mvn -pl engine -am package)");
        }
        return jar;
    }

    /**
     * The predictor the engine runs: predictor 0 defaulted as the operator defaults it, but with the
     * endpoints the test graph names, because its components already run on this machine (the operator
     * would point them at the pod's containers instead).
     */
    static PredictorSpec enginePredictor(SeldonDeployment deployment) {
        Map<String, Endpoint> running = new HashMap<>();
        Graph.walk(
                deployment.getSpec().getPredictors().get(0).getGraph(),
                "",
                (path, unit) -> running.put(unit.getName(), unit.getEndpoint()));
        PredictorSpec predictor = new Defaulter(DefaultingConfig.defaults())
                .apply(deployment)
                .getSpec()
                .getPredictors()
                .get(0);
        Graph.walk(predictor.getGraph(), "", (path, unit) -> {
            if (running.get(unit.getName()) != null) {
                unit.setEndpoint(running.get(unit.getName()));
            }
        });
        return predictor;
    }

    static EngineProcess start(SeldonDeployment deployment) {
        return start(deployment, Map.of());
    }

    /** As {@link #start(SeldonDeployment)}, with more environment for the engine (e.g. tracing's). */
    static EngineProcess start(SeldonDeployment deployment, Map<String, String> env) {
        PredictorSpec predictor = enginePredictor(deployment);
        int http = Processes.freePort();
        int grpc = Processes.freePort();
        String transport = deployment.getSpec().getTransport() == null
                ? "rest"
                : deployment.getSpec().getTransport().wireName();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                jar().toString(),
                "--sdep",
                deployment.getMetadata().getName(),
                "--namespace",
                deployment.getMetadata().getNamespace(),
                "--predictor",
                predictor.getName(),
                "--http_port",
                String.valueOf(http),
                "--grpc_port",
                String.valueOf(grpc),
                "--protocol",
                "seldon",
                "--transport",
                transport,
                "--prometheus_path",
                "/prometheus"));
        try {
            Path logFile = Files.createTempFile("seldonj-engine", ".log");
            logFile.toFile().deleteOnExit();
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile());
            pb.environment()
                    .put(
                            "ENGINE_PREDICTOR",
                            Base64.getEncoder()
                                    .encodeToString(Manifests.toTree(predictor)
                                            .toString()
                                            .getBytes(StandardCharsets.UTF_8)));
            pb.environment().putAll(env);
            EngineProcess engine = new EngineProcess(pb.start(), logFile, http, grpc);
            try {
                engine.awaitReady();
            } catch (RuntimeException | Error e) {
                engine.close();
                throw e;
            }
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    @Override
    public int httpPort() {
        return httpPort;
    }

    @Override
    public int grpcPort() {
        return grpcPort;
    }

    /** What the engine has printed so far. */
    String log() {
        return Processes.readLog(log);
    }

    @Override
    public void close() {
        Processes.destroyTree(process);
    }

    /** Polls {@code /ready}; fails at once, with the engine's output, if the process exits. */
    private void awaitReady() {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "no answer";
        try {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new AssertionError("the engine exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    HttpResponse<String> answer = HTTP.send(ready, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        return;
                    }
                    last = answer.statusCode() + " " + answer.body();
                } catch (IOException e) {
                    last = e.toString();
                }
                process.waitFor(50, TimeUnit.MILLISECONDS); // returns early if the process dies
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the engine", e);
        }
        throw new AssertionError(
                "the engine was not ready within " + READY_TIMEOUT + " (last /ready: " + last + "):\n" + log());
    }
}
