package dev.seldonj.engine.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A payload log sink: an HTTP server recording the CloudEvents it receives. It can answer at once,
 * or hold every request until {@link #release} (a slow or stuck sink) without sleeping.
 */
public final class LogSink implements AutoCloseable {

    /** One CloudEvent as received in binary mode. */
    public record Event(String path, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        public String type() {
            return header("ce-type");
        }

        public String model() {
            return header("ce-modelid");
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch release;
    private final int status;

    private LogSink(boolean holding, int status) throws IOException {
        this.release = new CountDownLatch(holding ? 1 : 0);
        this.status = status;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Answers every event 200 at once. */
    public static LogSink answering() throws IOException {
        return new LogSink(false, 200);
    }

    /** Records each event, then holds the answer until {@link #release} or close. */
    public static LogSink holding() throws IOException {
        return new LogSink(true, 200);
    }

    /** Answers every event with this status. */
    public static LogSink failingWith(int status) throws IOException {
        return new LogSink(false, status);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Event> events() {
        return events;
    }

    /** Waits (bounded) until at least {@code n} events matching {@code which} arrived; returns those. */
    public List<Event> await(int n, Predicate<Event> which) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        synchronized (events) {
            while (true) {
                List<Event> matching = events.stream().filter(which).toList();
                if (matching.size() >= n) {
                    return matching;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + n + " events, got " + matching.size() + ": " + describe());
                }
                events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    public List<Event> await(int n) throws InterruptedException {
        return await(n, e -> true);
    }

    private String describe() {
        return events.stream().map(e -> e.type() + "@" + e.model()).toList().toString();
    }

    public void release() {
        release.countDown();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body = ex.getRequestBody().readAllBytes();
        Event e = new Event(ex.getRequestURI().getPath(), Map.copyOf(ex.getRequestHeaders()), body);
        synchronized (events) {
            events.add(e);
            events.notifyAll();
        }
        try {
            release.await();
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        pool.shutdownNow();
    }
}
