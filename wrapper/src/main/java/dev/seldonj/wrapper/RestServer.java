package dev.seldonj.wrapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.seldonj.api.protocol.SeldonJson;
import dev.seldonj.api.protocol.SeldonJsonException;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seldon's internal REST API on the JDK's HTTP server, with the Python wrapper's paths, request forms
 * and error bodies ({@code {"status":{"code":-1,"info":...,"reason":...,"status":1}}}).
 */
final class RestServer implements AutoCloseable {

  static {
    // Without it small answers wait for the peer's delayed ACK (Nagle): tens of milliseconds each.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private static final Logger LOG = LoggerFactory.getLogger(RestServer.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Printer METADATA_PRINTER =
      JsonFormat.printer().includingDefaultValueFields().omittingInsignificantWhitespace();

  private final HttpServer server;
  private final int maxBodyBytes;

  RestServer(int port, ComponentService service, ExecutorService executor, WrapperLimits limits) throws IOException {
    // Read once by the JDK server when its first instance starts: the time a client may take to send a request
    // (head and body; a connection that stalls is closed), and, on JDKs that have it (21+), the largest head.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(limits.requestReadTimeoutSeconds()));
    }
    if (System.getProperty("sun.net.httpserver.maxReqHeaderSize") == null) {
      System.setProperty("sun.net.httpserver.maxReqHeaderSize", Integer.toString(64 * 1024));
    }
    this.maxBodyBytes = limits.maxBodyBytes();
    server = HttpServer.create(new InetSocketAddress(port), 1024);
    server.setExecutor(executor);
    Map<String, Function<JsonNode, SeldonMessage>> messageRoutes = Map.of(
        "/predict", n -> service.predict(SeldonJson.message(n, "")),
        "/api/v1.0/predictions", n -> service.predict(SeldonJson.message(n, "")),
        "/api/v0.1/predictions", n -> service.predict(SeldonJson.message(n, "")),
        "/transform-input", n -> service.transformInput(SeldonJson.message(n, "")),
        "/transform-output", n -> service.transformOutput(SeldonJson.message(n, "")),
        "/route", n -> service.route(SeldonJson.message(n, "")),
        "/aggregate", n -> service.aggregate(SeldonJson.messageList(n, "")),
        "/send-feedback", n -> service.sendFeedback(SeldonJson.feedback(n, "")),
        "/api/v1.0/feedback", n -> service.sendFeedback(SeldonJson.feedback(n, "")),
        "/api/v0.1/feedback", n -> service.sendFeedback(SeldonJson.feedback(n, "")));
    server.createContext("/", exchange -> handle(exchange, messageRoutes, service));
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange, Map<String, Function<JsonNode, SeldonMessage>> routes,
      ComponentService service) throws IOException {
    try (exchange; InputStream in = exchange.getRequestBody()) {
      byte[] body = readBody(exchange, in);
      if (body == null) {
        exchange.getResponseHeaders().set("Connection", "close");
        send(exchange, 413, "application/json", error(-1, "the request body is larger than the " + maxBodyBytes
            + " bytes allowed (SELDONJ_MAX_BODY_BYTES)", "PAYLOAD_TOO_LARGE"));
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      try {
        Function<JsonNode, SeldonMessage> route = routes.get(path);
        if (route != null && (method.equals("POST") || method.equals("GET"))) {
          JsonNode json = RequestBodies.json(exchange.getRequestHeaders().getFirst("Content-Type"),
              exchange.getRequestURI().getRawQuery(), body);
          SeldonMessage answer = route.apply(json);
          send(exchange, statusOf(answer), "application/json", SeldonJson.printBytes(answer));
        } else if (method.equals("GET") && path.equals("/health/ping")) {
          send(exchange, 200, "text/plain; charset=utf-8", "pong".getBytes(StandardCharsets.UTF_8));
        } else if (method.equals("GET") && (path.equals("/health/status") || path.equals("/api/v1.0/health/status"))) {
          send(exchange, 200, "application/json", SeldonJson.printBytes(service.healthStatus()));
        } else if (method.equals("GET") && (path.equals("/metadata") || path.equals("/api/v1.0/metadata"))) {
          send(exchange, 200, "application/json", metadataJson(service));
        } else if (route != null || isKnown(path)) {
          send(exchange, 405, "application/json", error(-1, "method " + method + " is not allowed on " + path,
              "METHOD_NOT_ALLOWED"));
        } else {
          send(exchange, 404, "application/json", error(-1, "no such path: " + path, "NOT_FOUND"));
        }
      } catch (SeldonJsonException e) {
        send(exchange, 400, "application/json", error(-1, e.getMessage(), SeldonComponentException.BAD_DATA));
      } catch (SeldonComponentException e) {
        send(exchange, e.httpStatus(), "application/json", error(-1, e.getMessage(), e.reason()));
      } catch (RuntimeException e) {
        LOG.error("{} {} failed", method, path, e);
        send(exchange, 500, "application/json", error(-1, String.valueOf(e.getMessage()),
            SeldonComponentException.INTERNAL_ERROR));
      } catch (OutOfMemoryError e) {
        // Too many large requests at once: this one fails, the component and its other requests go on.
        LOG.error("{} {} ran out of memory", method, path);
        exchange.getResponseHeaders().set("Retry-After", "1");
        send(exchange, 503, "application/json", error(-1, "the component is out of memory for this request; retry "
            + "later", "OUT_OF_MEMORY"));
      }
    } catch (IOException e) {
      LOG.debug("client went away: {}", e.toString());
    }
  }

  /** The body, or null when it is larger than the limit (refused by its Content-Length before a byte is read). */
  private byte[] readBody(HttpExchange exchange, InputStream in) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          return null;
        }
      } catch (NumberFormatException e) {
        // the JDK server refuses malformed lengths before this
      }
    }
    byte[] body = in.readNBytes(maxBodyBytes);
    return body.length == maxBodyBytes && in.read() >= 0 ? null : body;
  }

  private static boolean isKnown(String path) {
    return path.equals("/health/ping") || path.equals("/health/status") || path.equals("/api/v1.0/health/status")
        || path.equals("/metadata") || path.equals("/api/v1.0/metadata");
  }

  /** As the Python wrapper: an answer carrying {@code status.code} is sent with that HTTP status. */
  private static int statusOf(SeldonMessage answer) {
    int code = answer.hasStatus() ? answer.getStatus().getCode() : 0;
    return code >= 100 && code <= 599 ? code : 200;
  }

  private static byte[] metadataJson(ComponentService service) {
    try {
      return METADATA_PRINTER.print(service.metadata()).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new SeldonComponentException("model metadata cannot be written: " + e.getMessage(), 500,
          "MICROSERVICE_BAD_METADATA");
    }
  }

  /** The Python wrapper's {@code SeldonMicroserviceException.to_dict()}, keys sorted as Flask writes them. */
  static byte[] error(int code, String info, String reason) {
    ObjectNode status = MAPPER.createObjectNode().put("code", code).put("info", info).put("reason", reason)
        .put("status", 1);
    ObjectNode root = MAPPER.createObjectNode();
    root.set("status", status);
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
