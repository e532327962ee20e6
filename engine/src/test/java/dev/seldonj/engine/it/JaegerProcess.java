package dev.seldonj.engine.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Jaeger (built by {@code make tracing-tools}) on free loopback ports, started through
 * {@code ci/tracing/jaeger.sh}: OTLP/HTTP in, its query API out. Stopped (by pid) at close.
 */
public final class JaegerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final Path log;
    private final int otlpPort;
    private final int queryPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private JaegerProcess(Process process, Path log, int otlpPort, int queryPort) {
        this.process = process;
        this.log = log;
        this.otlpPort = otlpPort;
        this.queryPort = queryPort;
    }

    public static JaegerProcess start() throws Exception {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
        Path script = root.resolve("ci/tracing/jaeger.sh");
        if (!Files.isExecutable(root.resolve(".tools/tracing/bin/jaeger"))) {
            throw new IllegalStateException("Jaeger is not built: run `make tracing-tools` (make test does)");
        }
        int otlp = freePort();
        int query = freePort();
        Path log = Files.createTempFile("jaeger", ".log");
        Process p = new ProcessBuilder(script.toString(), String.valueOf(otlp), String.valueOf(query))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        JaegerProcess jaeger = new JaegerProcess(p, log, otlp, query);
        try {
            jaeger.awaitReady();
        } catch (Exception e) {
            jaeger.close();
            throw e;
        }
        return jaeger;
    }

    /** Base URL of the OTLP/HTTP receiver (an exporter appends /v1/traces). */
    public String otlpEndpoint() {
        return "http://127.0.0.1:" + otlpPort;
    }

    /** The trace as Jaeger's query API returns it ({@code data[0]}), once {@code done} holds for it; fails after 20 s. */
    public JsonNode awaitTrace(String traceId, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + queryPort + "/api/traces/" + traceId))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                JsonNode data = JSON.readTree(r.body()).path("data");
                if (data.size() > 0) {
                    last = data.get(0);
                    if (done.test(last)) {
                        return last;
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("trace " + traceId + " not complete in Jaeger after 20 s; last seen: " + last);
    }

    /** Traces Jaeger holds for a service. */
    public JsonNode traces(String service) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + queryPort + "/api/traces?limit=100&service=" + service))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("data");
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Jaeger exited (" + process.exitValue() + "): " + Files.readString(log));
            }
            if (listening(otlpPort)) {
                try {
                    HttpResponse<String> r = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + queryPort + "/api/services"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("Jaeger did not start within 30 s: " + Files.readString(log));
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(log);
    }
}
