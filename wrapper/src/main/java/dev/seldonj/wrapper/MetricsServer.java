package dev.seldonj.wrapper;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;

/** Prometheus scrapes on their own port, as the Python wrapper serves them (a separate app on port 6000). */
final class MetricsServer implements AutoCloseable {

  private final HttpServer server;

  MetricsServer(int port, String path, CustomMetrics metrics, ExecutorService executor) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 64);
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        boolean match = exchange.getRequestURI().getPath().equals(path) && exchange.getRequestMethod().equals("GET");
        byte[] body;
        if (match) {
          ByteArrayOutputStream buffer = new ByteArrayOutputStream();
          metrics.write(buffer);
          body = buffer.toByteArray();
          exchange.getResponseHeaders().set("Content-Type", CustomMetrics.contentType());
        } else {
          body = ("metrics are served at GET " + path + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        exchange.sendResponseHeaders(match ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
