package dev.seldonj.local.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * A test "image": a model component reading PREDICTIVE_UNIT_* like Seldon's wrapper. {@code /predict}
 * answers the request's data and adds {@code requestPath[<unit id>] = <image>} to the meta, so a
 * test can tell which containers a request passed through; each call prints a line.
 */
public final class FakeModel {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(System.getenv("PREDICTIVE_UNIT_HTTP_SERVICE_PORT"));
        String id = System.getenv("PREDICTIVE_UNIT_ID");
        String image = System.getenv("PREDICTIVE_UNIT_IMAGE");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/predict", exchange -> {
            ObjectNode message = (ObjectNode) JSON.readTree(exchange.getRequestBody());
            ObjectNode meta = message.with("meta");
            meta.with("requestPath").put(id, image);
            byte[] body = JSON.writeValueAsBytes(message);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            System.out.println("predicted for " + System.getenv("PREDICTOR_ID"));
        });
        server.start();
        System.out.println("model " + id + " listening on " + port);
    }
}
