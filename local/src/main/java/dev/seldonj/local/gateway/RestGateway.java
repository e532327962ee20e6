package dev.seldonj.local.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.seldonj.api.protocol.SeldonJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The REST side of the local gateway: Emissary's path scheme ({@code /seldon/<ns>/<name>/...}, prefix
 * rewritten to {@code /}) in front of the engines, with traffic splits and shadows. A development
 * tool, so a small thread pool and buffered bodies are enough.
 */
public final class RestGateway implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of(
            "host",
            "connection",
            "content-length",
            "expect",
            "upgrade",
            "transfer-encoding",
            "keep-alive",
            "te",
            "trailer",
            "proxy-authorization",
            "proxy-connection");
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofMinutes(5);

    static {
        // The JDK server writes headers and body separately; without TCP_NODELAY each answer waits for the
        // client's delayed ACK (~40 ms on Linux). Read once, when the first server is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Supplier<Routes> routes;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16, r -> {
        Thread t = new Thread(r, "rest-gateway");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** @param routes read once per request, so a source may swap them while the gateway serves */
    public RestGateway(Supplier<Routes> routes, int port) throws IOException {
        this.routes = routes;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            var headers = exchange.getRequestHeaders();
            Routes current = routes.get();
            var choice = current.rest(path, headers::getFirst);
            if (choice.isEmpty()) {
                fail(exchange, 404, "no Mapping matches " + path + "; served prefixes: " + current.restPrefixes());
                return;
            }
            Routes.Backend primary = choice.get().primary();
            Optional<Upstream> target = primary.endpoints().next();
            if (target.isEmpty()) {
                // As Envoy's "no healthy upstream": answer at once rather than hold the caller.
                fail(
                        exchange,
                        503,
                        "Mapping " + primary.mapping().qualifiedName() + " (service "
                                + primary.mapping().service() + ") has no upstream: "
                                + primary.endpoints().unavailableReason());
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String query = exchange.getRequestURI().getRawQuery();
            String upstreamPath = choice.get().upstreamPath() + (query == null ? "" : "?" + query);
            for (Routes.Backend shadow : choice.get().shadows()) {
                // A shadow without an upstream gets no copy: its answer would be discarded anyway.
                shadow.endpoints()
                        .next()
                        .ifPresent(to -> client.sendAsync(
                                        request(exchange, to, upstreamPath, body),
                                        HttpResponse.BodyHandlers.discarding())
                                .exceptionally(e -> null));
            }
            HttpResponse<byte[]> response;
            try {
                response = client.send(
                        request(exchange, target.get(), upstreamPath, body), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                fail(
                        exchange,
                        503,
                        "upstream " + primary.mapping().service() + " (Mapping "
                                + primary.mapping().qualifiedName() + ", " + target.get() + ") is unavailable: " + e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(exchange, 503, "interrupted");
                return;
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        } catch (RuntimeException e) {
            // A gateway bug must not take the runner down: answer 500 and keep serving.
            fail(exchange, 500, "local gateway error: " + e);
        }
    }

    private static HttpRequest request(HttpExchange exchange, Upstream to, String path, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + to.authority() + path))
                .timeout(UPSTREAM_TIMEOUT)
                .method(
                        exchange.getRequestMethod(),
                        body.length == 0
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        for (Map.Entry<String, List<String>> h : exchange.getRequestHeaders().entrySet()) {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                h.getValue().forEach(v -> builder.header(h.getKey(), v));
            }
        }
        return builder.build();
    }

    private static void fail(HttpExchange exchange, int code, String info) {
        try {
            byte[] json = SeldonJson.printBytes(SeldonJson.failure(code, "LOCAL_GATEWAY", info));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(code, json.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(json);
            }
        } catch (IOException e) {
            // The client went away; nothing left to tell it.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
