package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The wrapper in its own JVM at {@code -Xmx128m} with its default limits, under many large bodies at once: each
 * gets an answer (served, or 503 / 413), none a reset, and the process never runs out of memory.
 */
class BoundedMemoryIT {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void concurrentLargeBodiesAreRefusedNotAnOutOfMemoryError() throws Exception {
        int http = freePort();
        Path log = Files.createTempFile("wrapper-128m", ".log");
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        EchoMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("PREDICTIVE_UNIT_HTTP_SERVICE_PORT", Integer.toString(http));
        pb.environment().put("PREDICTIVE_UNIT_GRPC_SERVICE_PORT", Integer.toString(freePort()));
        pb.environment().put("PREDICTIVE_UNIT_METRICS_SERVICE_PORT", Integer.toString(freePort()));
        Process wrapper = pb.start();
        ExecutorService clients = Executors.newFixedThreadPool(24);
        try {
            awaitPing(http, wrapper, log);
            String body = "{\"strData\":\"" + "a".repeat(6 << 20) + "\"}";
            String request = RequestsFor.post(body);
            String tooBig = "POST /predict HTTP/1.1\r\nHost: w\r\nContent-Length: 40000000\r\n\r\n";
            List<Future<String>> answers = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 24; i++) {
                    String r = i == 0 ? tooBig : request;
                    answers.add(clients.submit(() -> {
                        try (RawHttp c = new RawHttp(http, 60_000)) {
                            try {
                                c.send(r);
                            } catch (IOException e) {
                                // refused before the body was read: the answer is still there
                            }
                            RawHttp.Answer a = c.answer();
                            return a.status() == 200
                                    ? (a.body().length() > (6 << 20) ? "200" : "200 short")
                                    : a.status() + "";
                        } catch (IOException e) {
                            return "failed: " + e;
                        }
                    }));
                }
                Map<String, Integer> counts = new TreeMap<>();
                for (Future<String> f : answers) {
                    counts.merge(f.get(120, TimeUnit.SECONDS), 1, Integer::sum);
                }
                answers.clear();
                System.out.println("round " + round + ": " + counts);
                assertThat(counts.keySet()).as("answers %s", counts).isSubsetOf("200", "503", "413");
                assertThat(counts).containsKeys("200", "413");
            }
            awaitPing(http, wrapper, log);
            assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError", "out of memory");
        } finally {
            clients.shutdownNow();
            wrapper.destroy();
            if (!wrapper.waitFor(10, TimeUnit.SECONDS)) {
                wrapper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        }
    }

    private static void awaitPing(int port, Process wrapper, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertThat(wrapper.isAlive())
                    .as("the wrapper is running: %s", Files.readString(log))
                    .isTrue();
            try (RawHttp c = new RawHttp(port, 5000)) {
                if (c.send("GET /health/ping HTTP/1.1\r\nHost: w\r\n\r\n")
                        .answer()
                        .body()
                        .equals("pong")) {
                    return;
                }
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the wrapper did not answer: " + Files.readString(log));
    }

    /** Request text for a JSON body. */
    static final class RequestsFor {
        static String post(String json) {
            return "POST /predict HTTP/1.1\r\nHost: w\r\nContent-Type: application/json\r\nContent-Length: "
                    + json.length() + "\r\nConnection: close\r\n\r\n" + json;
        }
    }
}
