package dev.seldonj.engine.it;

import dev.seldonj.engine.Engine;
import dev.seldonj.engine.EngineApplication;
import dev.seldonj.engine.config.PayloadLoggerConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Starts a real engine in-process on free ports from a SeldonDeployment built around test components. */
public final class EngineFixture implements AutoCloseable {

    private final EngineApplication app;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ManagedChannel channel;

    private EngineFixture(EngineApplication app) {
        this.app = app;
    }

    /** A deployment description: the graph (JSON), the containers and their ports, annotations. */
    public static final class Spec {
        private final String graph;
        private final Map<String, int[]> containers = new LinkedHashMap<>();
        private final Map<String, String> annotations = new LinkedHashMap<>();
        private String protocol;
        private PayloadLoggerConfig payloadLogger;
        private final Map<String, Object> properties = new LinkedHashMap<>();

        public Spec(String graphJson) {
            this.graph = graphJson;
        }

        public Spec rest(RestComponent c) {
            containers.put(c.name(), new int[] {c.port(), 0});
            return this;
        }

        public Spec grpc(String name, GrpcComponent c) {
            containers.put(name, new int[] {0, c.port()});
            return this;
        }

        public Spec container(String name, int httpPort, int grpcPort) {
            containers.put(name, new int[] {httpPort, grpcPort});
            return this;
        }

        public Spec annotation(String key, String value) {
            annotations.put(key, value);
            return this;
        }

        public Spec protocol(String p) {
            this.protocol = p;
            return this;
        }

        /** Any other engine setting, as a property (e.g. {@code engine.tracing.enabled}). */
        public Spec property(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        /** Payload logger settings as the command line and environment would give them. */
        public Spec payloadLogger(PayloadLoggerConfig config) {
            this.payloadLogger = config;
            return this;
        }

        public String yaml() {
            StringBuilder y = new StringBuilder("""
          apiVersion: machinelearning.seldon.io/v1
          kind: SeldonDeployment
          metadata:
            name: test-sdep
            namespace: test-ns
          spec:
          """);
            if (protocol != null) {
                y.append("  protocol: ").append(protocol).append('\n');
            }
            if (!annotations.isEmpty()) {
                y.append("  annotations:\n");
                annotations.forEach((k, v) ->
                        y.append("    ").append(k).append(": \"").append(v).append("\"\n"));
            }
            y.append("  predictors:\n  - name: main\n");
            if (!containers.isEmpty()) {
                y.append("    componentSpecs:\n    - spec:\n        containers:\n");
                containers.forEach((name, ports) -> {
                    y.append("        - name: ")
                            .append(name)
                            .append("\n          image: test/")
                            .append(name)
                            .append(":1.0\n");
                    List<String> p = new ArrayList<>();
                    if (ports[0] > 0) {
                        p.add("{name: http, containerPort: " + ports[0] + "}");
                    }
                    if (ports[1] > 0) {
                        p.add("{name: grpc, containerPort: " + ports[1] + "}");
                    }
                    if (!p.isEmpty()) {
                        y.append("          ports: [")
                                .append(String.join(", ", p))
                                .append("]\n");
                    }
                });
            }
            y.append("    graph: ").append(graph).append('\n');
            return y.toString();
        }
    }

    public static EngineFixture start(Spec spec) {
        try {
            Path file = Files.createTempFile("sdep", ".yaml");
            Files.writeString(file, spec.yaml());
            Map<String, Object> properties = new LinkedHashMap<>(
                    Map.of("engine.file", file.toString(), "engine.http-port", 0, "engine.grpc-port", 0));
            properties.putAll(spec.properties);
            PayloadLoggerConfig logger = spec.payloadLogger;
            if (logger != null) {
                properties.putAll(Map.of(
                        "engine.request-logger-default-endpoint",
                        logger.defaultEndpoint(),
                        "engine.hostname",
                        logger.hostname(),
                        "engine.logger-workers",
                        logger.workers(),
                        "engine.log-work-buffer-size",
                        logger.queueSize(),
                        "engine.log-write-timeout-ms",
                        logger.writeTimeoutMs(),
                        "engine.log-work-buffer-bytes",
                        logger.queueBytes()));
            }
            return new EngineFixture(EngineApplication.start(properties));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Engine engine() {
        return app.engine();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + app.httpPort() + path;
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url(path))).POST(HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (!typed) {
            b.header("Content-Type", "application/json");
        }
        return send(b.build());
    }

    public HttpResponse<String> predict(String body, String... headers) {
        return post("/api/v1.0/predictions", body, headers);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public ManagedChannel channel() {
        if (channel == null) {
            channel = ManagedChannelBuilder.forAddress("127.0.0.1", app.grpcPort())
                    .usePlaintext()
                    .build();
        }
        return channel;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.shutdownNow();
        }
        app.close();
    }
}
