package dev.seldonj.controller.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The validating admission webhook: HTTPS on its own port (4443 in the chart) serving
 * {@value #PATH}. The JDK's HTTPS server is enough for a handful of admission calls a second and
 * keeps the webhook's TLS (from the mounted secret) apart from the plain-HTTP metrics port.
 */
public final class WebhookServer implements AutoCloseable {

    public static final String PATH = "/validate-machinelearning-seldon-io-v1-seldondeployment";
    /** Largest AdmissionReview accepted; Kubernetes objects are at most ~1.5 MiB in etcd. */
    static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);

    private final HttpsServer server;
    private final ExecutorService executor;

    private WebhookServer(HttpsServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts serving on {@code port} (0 = any free port) with the certificate in {@code certDir}. */
    public static WebhookServer start(int port, Path certDir, AdmissionHandler handler)
            throws IOException, GeneralSecurityException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(PemTls.fromDirectory(certDir)));
        server.createContext(PATH, exchange -> serve(exchange, handler));
        server.createContext("/", exchange -> {
            try (exchange) {
                respond(
                        exchange,
                        404,
                        "text/plain",
                        ("POST AdmissionReviews to " + PATH).getBytes(StandardCharsets.UTF_8));
            }
        });
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "webhook");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        LOG.info(
                "admission webhook listening on https://0.0.0.0:{}{}",
                server.getAddress().getPort(),
                PATH);
        return new WebhookServer(server, executor);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void serve(HttpExchange exchange, AdmissionHandler handler) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "POST an AdmissionReview".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
            if (body.length > MAX_BODY_BYTES) {
                respond(exchange, 413, "text/plain", "AdmissionReview too large".getBytes(StandardCharsets.UTF_8));
                return;
            }
            try {
                respond(exchange, 200, "application/json", handler.handle(body));
            } catch (AdmissionHandler.BadRequest e) {
                respond(exchange, 400, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                LOG.error("admission review failed", e);
                respond(exchange, 500, "text/plain", ("internal error: " + e).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static void respond(HttpExchange exchange, int code, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(code, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
