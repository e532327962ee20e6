package dev.seldonj.controller.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A stand-in Kubernetes API server on 127.0.0.1 over HTTPS: answers every request with one fixed
 * status and body, and records who called (client certificate subject, Authorization header). With
 * {@code requireClientCertificate} the TLS handshake itself fails without a certificate of the test CA.
 */
public final class TestApiServer implements AutoCloseable {

    /** One request as seen by the server. */
    public record Call(String method, String path, String clientSubject, String authorization) {}

    private final HttpsServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private TestApiServer(HttpsServer server) {
        this.server = server;
    }

    public static TestApiServer start(SSLContext tls, boolean requireClientCertificate, int status, String body)
            throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
                var parameters = tls.getDefaultSSLParameters();
                parameters.setNeedClientAuth(requireClientCertificate);
                params.setSSLParameters(parameters);
            }
        });
        TestApiServer api = new TestApiServer(server);
        server.createContext("/", exchange -> api.answer(exchange, status, body));
        server.start();
        return api;
    }

    /** A Kubernetes Status body, as the API server sends with an error. */
    public static String statusBody(int code, String reason, String message) {
        return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\""
                + message.replace("\"", "\\\"") + "\",\"reason\":\"" + reason + "\",\"code\":" + code + "}";
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    private void answer(HttpExchange exchange, int status, String body) throws IOException {
        try (exchange) {
            String subject = null;
            try {
                Certificate[] peer = ((HttpsExchange) exchange).getSSLSession().getPeerCertificates();
                subject = ((X509Certificate) peer[0]).getSubjectX500Principal().getName();
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate
            }
            calls.add(new Call(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().toString(),
                    subject,
                    exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
