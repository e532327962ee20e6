package dev.seldonj.engine.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A component speaking Seldon's internal REST API, scripted per path, recording what it received. */
public final class RestComponent implements AutoCloseable {

    /** One request as the component saw it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** A scripted answer. */
    public record Answer(int status, String body, String contentType) {
        public static Answer json(String body) {
            return new Answer(200, body, "application/json");
        }
    }

    private final String name;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(8);
    private final Map<String, Function<Received, Answer>> handlers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    /** Released at close: lets a handler hang without sleeping. */
    public final CountDownLatch release = new CountDownLatch(1);

    public RestComponent(String name) throws IOException {
        this.name = name;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public RestComponent on(String path, Function<Received, Answer> handler) {
        handlers.put(path, handler);
        return this;
    }

    /** Answers every listed path by echoing the body with a tag naming this component. */
    public RestComponent echoing(String... paths) {
        for (String p : paths) {
            on(p, r -> Answer.json(Messages.tagged(r.body(), name)));
        }
        return this;
    }

    public List<Received> received() {
        return received;
    }

    public List<Received> received(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Received r = new Received(
                ex.getRequestMethod(), ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body);
        received.add(r);
        Function<Received, Answer> h = handlers.get(r.path());
        Answer a = h == null
                ? new Answer(404, "{\"error\":\"no handler for " + r.path() + "\"}", "application/json")
                : h.apply(r);
        byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
        if (a.contentType() != null) {
            ex.getResponseHeaders().set("Content-Type", a.contentType());
        }
        ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(out);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
