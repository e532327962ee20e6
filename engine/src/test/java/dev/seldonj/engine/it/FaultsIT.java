package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import io.seldon.protos.SeldonGrpc;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine against a broken model ({@link EvilComponent}) and abusive clients (raw sockets), as its jar runs in
 * a pod: a process at {@code -Xmx128m} with the default body, message and memory limits, short read timeouts.
 * Every case checks the exact answer and a generous upper bound on when it came, then that a good request is
 * still served; the last test checks the process kept no threads or file descriptors from it all. (Refused
 * connections, component 500s, garbage, bad chunks and other answer framings are also covered in-process by
 * {@code ErrorsIT} and {@code ComponentAnswersIT}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    private static final String PREDICT =
            "POST /api/v1.0/predictions HTTP/1.1\r\nHost: engine\r\n" + "Content-Type: application/json\r\n";
    private static final String GOOD = "{\"data\":{\"ndarray\":[[1.0]]}}";
    private static final long HEADER_TIMEOUT_MS = 1000;
    private static final long IDLE_TIMEOUT_MS = 2000;

    private static EvilComponent evil;
    private static Process engine;
    private static int http;
    private static int grpc;
    private static long baselineFds;
    private static long baselineThreads;

    @BeforeAll
    static void start() throws Exception {
        evil = new EvilComponent();
        Path sdep = Files.createTempFile("faults", ".yaml");
        Files.writeString(sdep, """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata:
          name: faults
        spec:
          annotations:
            seldon.io/rest-timeout: "1000"
          predictors:
          - name: main
            componentSpecs:
            - spec:
                containers:
                - name: evil
                  image: test/evil:1.0
                  ports: [{name: http, containerPort: %d}]
            graph:
              name: evil
              type: MODEL
        """.formatted(evil.port()));
        http = freePort();
        grpc = freePort();
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-jar",
                jar().toString(),
                "--file",
                sdep.toString(),
                "--http_port",
                "" + http,
                "--grpc_port",
                "" + grpc,
                "--header_read_timeout_ms",
                "" + HEADER_TIMEOUT_MS,
                "--idle_timeout_ms",
                "" + IDLE_TIMEOUT_MS,
                "--annotations_file",
                sdep.resolveSibling("no-such-annotations").toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("ENGINE_PREDICTOR");
        engine = pb.start();
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                boolean up = false;
                System.out.println("engine started");
                while ((line = r.readLine()) != null) {
                    // Read to the end, so the engine never blocks on a full pipe.
                    up |= line.contains("seldonj engine serving");
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                if (status(exchange(get("/live"))) == 200) {
                    break;
                }
            } catch (IOException e) {
                assertThat(engine.isAlive()).as("engine process").isTrue();
                assertThat(System.nanoTime() < deadline)
                        .as("engine up within 60 s")
                        .isTrue();
                Thread.sleep(100);
            }
        }
        assertThat(serving.isDone()).isFalse();
        // Warm up every path once, then let the connections of the warm-up expire before the baseline.
        for (int i = 0; i < 20; i++) {
            assertGoodRequestServed();
        }
        Thread.sleep(IDLE_TIMEOUT_MS + 500);
        baselineFds = fds();
        baselineThreads = threads();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.destroy();
            engine.waitFor(20, TimeUnit.SECONDS);
        }
        if (evil != null) {
            evil.close();
        }
    }

    // ---------------------------------------------------------------- component faults

    @ParameterizedTest(name = "component {0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
      hang      | 504 | node 'evil' did not answer POST /predict within 1000 ms
      trickle   | 504 | node 'evil' did not answer POST /predict within 1000 ms
      500       | 500 | {"evil":"boom"}
      garbage   | 500 | node 'evil' answered POST /predict with invalid HTTP
      truncated | 503 | node 'evil' closed the connection during POST /predict
      reset     | 503 | node 'evil'
      huge      | 500 | node 'evil' answered POST /predict with a body larger than the limit
      delay:600 | 200 | "ndarray":[[1.0]]
      """)
    @Order(1)
    void componentFaultsGetTheirExactAnswerInTime(String mode, int status, String text) throws Exception {
        long start = System.nanoTime();
        String answer = exchange(predict(GOOD, "X-Evil: " + mode));
        assertThat(elapsedMs(start)).as("answered within").isLessThan(5_000);
        assertThat(status(answer)).as(answer).isEqualTo(status);
        assertThat(body(answer)).contains(text);
        assertThat(body(answer)).doesNotContain("Exception", "io.netty", "jackson", "memory");
        assertGoodRequestServed();
    }

    @Test
    @Order(2)
    void concurrentLargeComponentAnswersAreServedOrRefusedWithRetryAfter() throws Exception {
        // 12 answers of 12 MB at once: more than the memory budget of a 128 MiB heap holds.
        // Meanwhile a call that hangs is still cut off at its 1 s timeout (no heap thrashing to stretch it).
        long[] hangMs = new long[1];
        List<String> answers = concurrently(13, i -> {
            if (i < 12) {
                return exchange(predict(GOOD, "X-Evil: big:12000000"));
            }
            long start = System.nanoTime();
            String a = exchange(predict(GOOD, "X-Evil: hang"));
            hangMs[0] = elapsedMs(start);
            return a;
        });
        // On two busy CPUs a 12 MB answer may itself take longer than the 1 s timeout: its exact 504 is right too.
        assertServedOrOverloaded("12 large answers", answers.subList(0, 12), true);
        assertThat(status(answers.get(12))).isIn(504, 503);
        assertThat(hangMs[0]).as("the hanging call's answer, ms").isLessThan(3_000);
        assertGoodRequestServed();
    }

    // ---------------------------------------------------------------- malformed requests

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
      100 KB header                | 431 | the request's headers are larger than the 32768 bytes allowed
      10000 headers                | 431 | the request's headers are larger than the 32768 bytes allowed
      Content-Length -5            | 400 | malformed HTTP request: Content-Length value is not a number: -5
      two Content-Lengths          | 400 | malformed HTTP request: Multiple Content-Length values found: [5, 6]
      Content-Length and chunked   | 400 | malformed HTTP request: Content-Length and Transfer-Encoding together are not allowed
      header line without a colon  | 400 | malformed HTTP request: a header line has no colon
      20 KB URL                    | 414 | the request line is longer than the 8192 bytes allowed
      bad chunk size               | 400 | malformed HTTP request: invalid chunk size
      """)
    @Order(3)
    void malformedRequestsGetOneExactAnswerAndTheConnectionCloses(String name, int status, String info)
            throws Exception {
        String body = GOOD;
        String request = switch (name) {
            case "100 KB header" ->
                PREDICT + "X-Big: " + "a".repeat(100_000) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            case "10000 headers" -> {
                StringBuilder h = new StringBuilder(PREDICT);
                for (int i = 0; i < 10_000; i++) {
                    h.append("X-H").append(i).append(": v\r\n");
                }
                yield h + "Content-Length: " + body.length() + "\r\n\r\n" + body;
            }
            case "Content-Length -5" -> PREDICT + "Content-Length: -5\r\n\r\n" + body;
            case "two Content-Lengths" -> PREDICT + "Content-Length: 5\r\nContent-Length: 6\r\n\r\n" + body;
            case "Content-Length and chunked" ->
                PREDICT + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
            case "header line without a colon" ->
                PREDICT + "NoColonHere\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
            case "20 KB URL" -> "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: engine\r\n\r\n";
            // A bad chunk, then a good request on the same connection: the stream is unusable after the first.
            case "bad chunk size" ->
                PREDICT + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n" + PREDICT + "Content-Length: "
                        + body.length() + "\r\n\r\n" + body;
            default -> throw new IllegalArgumentException(name);
        };
        long start = System.nanoTime();
        try (Socket s = connect()) {
            send(s, request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = readAnswer(s.getInputStream());
            assertThat(status(answer)).as(answer).isEqualTo(status);
            assertThat(answer).containsIgnoringCase("connection: close");
            assertThat(body(answer))
                    .isEqualTo("{\"status\":{\"code\":" + status + ",\"info\":\"" + info.replace("\"", "\\\"")
                            + "\",\"reason\":\""
                            + (status == 431
                                    ? "HEADERS_TOO_LARGE"
                                    : status == 414 ? "URI_TOO_LONG" : "BAD_HTTP_REQUEST")
                            + "\",\"status\":\"FAILURE\"}}");
            assertThat(readsEndOfStream(s, 5_000))
                    .as("connection closed after the answer, nothing more")
                    .isTrue();
        }
        assertThat(elapsedMs(start)).as("answered and closed within").isLessThan(5_000);
        assertGoodRequestServed();
    }

    // ---------------------------------------------------------------- pipelining

    @Test
    @Order(4)
    void pipelinedRequestsAreAnsweredInRequestOrderWhateverTheirLatency() throws Exception {
        Random random = new Random(42);
        StringBuilder all = new StringBuilder();
        int n = 24;
        for (int i = 0; i < n; i++) {
            if (i % 6 == 5) {
                all.append("GET /live HTTP/1.1\r\nHost: engine\r\nSeldon-Puid: p")
                        .append(i)
                        .append("\r\n\r\n");
            } else {
                all.append(PREDICT)
                        .append("Seldon-Puid: p")
                        .append(i)
                        .append("\r\nX-Evil: delay:")
                        .append(random.nextInt(150))
                        .append("\r\nContent-Length: ")
                        .append(GOOD.length())
                        .append("\r\n\r\n")
                        .append(GOOD);
            }
        }
        try (Socket s = connect()) {
            long start = System.nanoTime();
            send(s, all.toString().getBytes(StandardCharsets.ISO_8859_1));
            List<String> order = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String a = readAnswer(s.getInputStream());
                assertThat(status(a)).as(a).isEqualTo(200);
                Matcher m = Pattern.compile("(?i)seldon-puid: (p\\d+)").matcher(a);
                order.add(m.find() ? m.group(1) : "live");
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(i % 6 == 5 ? "live" : "p" + i);
            }
            assertThat(order).isEqualTo(expected);
            assertThat(elapsedMs(start)).isLessThan(20_000);
        }
        assertGoodRequestServed();
    }

    // ---------------------------------------------------------------- slow and idle clients

    @Test
    @Order(5)
    void slowlorisConnectionsGet408AtTheHeaderTimeout() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                Socket s = connect();
                sockets.add(s);
                send(
                        s,
                        ("POST /api/v1.0/predictions HTTP/1.1\r\nHost: engine\r\nX-Slow-" + i + ": ")
                                .getBytes(StandardCharsets.US_ASCII));
            }
            // One keeps trickling a byte every 100 ms: still cut off at the header timeout.
            Socket trickler = sockets.get(0);
            CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        trickler.getOutputStream().write('a');
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // cut off, as it should be
                }
            });
            assertGoodRequestServed(); // served while they hang on
            for (Socket s : sockets) {
                String a = readAnswer(s.getInputStream());
                assertThat(status(a)).as(a).isEqualTo(408);
                assertThat(body(a)).contains("the request's head was not received within 1000 ms", "REQUEST_TIMEOUT");
                assertThat(readsEndOfStream(s, 5_000)).isTrue();
            }
            assertThat(elapsedMs(start)).as("all cut off within").isLessThan(HEADER_TIMEOUT_MS + 6_000);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertGoodRequestServed();
    }

    @Test
    @Order(6)
    void aHalfSentBodyGets408AtTheIdleTimeout() throws Exception {
        try (Socket s = connect()) {
            long start = System.nanoTime();
            send(s, (PREDICT + "Content-Length: 100\r\n\r\n{\"data\":").getBytes(StandardCharsets.US_ASCII));
            String a = readAnswer(s.getInputStream());
            assertThat(status(a)).as(a).isEqualTo(408);
            assertThat(body(a)).contains("the request's body stalled: nothing received for 2000 ms");
            assertThat(readsEndOfStream(s, 5_000)).isTrue();
            assertThat(elapsedMs(start)).isLessThan(IDLE_TIMEOUT_MS + 5_000);
        }
        assertGoodRequestServed();
    }

    @Test
    @Order(7)
    void idleKeepAliveConnectionsAreClosedAtTheIdleTimeout() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket s = connect();
                sockets.add(s);
                if (i % 4 == 0) { // some after a request, kept alive; most never say a word
                    send(s, get("/live"));
                    assertThat(status(readAnswer(s.getInputStream()))).isEqualTo(200);
                }
            }
            long start = System.nanoTime();
            assertGoodRequestServed();
            for (Socket s : sockets) {
                assertThat(readsEndOfStream(s, IDLE_TIMEOUT_MS + 5_000))
                        .as("closed by the engine")
                        .isTrue();
            }
            assertThat(elapsedMs(start)).isLessThan(IDLE_TIMEOUT_MS + 6_000);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertGoodRequestServed();
    }

    // ---------------------------------------------------------------- large bodies

    @Test
    @Order(8)
    void hugeEndlessAndCompressedBodiesGet413() throws Exception {
        long start = System.nanoTime();
        // Announced: refused before a byte of it is read.
        String announced =
                exchange((PREDICT + "Content-Length: 1073741824\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        assertThat(status(announced)).isEqualTo(413);
        // Endless chunked body: refused once past the limit; the rest is skipped, not held.
        try (Socket s = connect()) {
            send(s, (PREDICT + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return readAnswer(s.getInputStream());
                } catch (IOException e) {
                    return e.toString();
                }
            });
            byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 4096 && !answer.isDone(); i++) { // at most 256 MiB
                out.write(chunk);
            }
            assertThat(status(answer.get(10, TimeUnit.SECONDS))).isEqualTo(413);
        }
        // A gzip bomb: 100 MiB of zeros in ~100 KB.
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                z.write(zeros);
            }
        }
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        bomb.write((PREDICT + "Content-Encoding: gzip\r\nContent-Length: " + gz.size() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        gz.writeTo(bomb);
        assertThat(status(exchange(bomb.toByteArray()))).isEqualTo(413);
        assertThat(elapsedMs(start)).isLessThan(20_000);
        assertGoodRequestServed();
    }

    @Test
    @Order(9)
    void concurrentLargeBodiesWithinTheLimitAreServedOrRefusedWithRetryAfterNeverReset() throws Exception {
        // 10 bodies of 15 MB at once (the limit at -Xmx128m is 16 MiB): more than the memory budget holds.
        String big = "{\"strData\":\"" + "x".repeat(15_000_000) + "\"}";
        byte[] request =
                (PREDICT + "Content-Length: " + big.length() + "\r\n\r\n" + big).getBytes(StandardCharsets.US_ASCII);
        assertServedOrOverloaded("10 large bodies", concurrently(10, i -> exchange(request)), true);
        assertGoodRequestServed();
    }

    @Test
    @Order(10)
    void aHugeGrpcMessageIsRefusedAndTheConnectionServesOn() throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpc)
                .usePlaintext()
                .build();
        try {
            SeldonGrpc.SeldonBlockingStub stub =
                    SeldonGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
            SeldonMessage good = SeldonMessage.newBuilder()
                    .setData(DefaultData.newBuilder()
                            .setTensor(
                                    Tensor.newBuilder().addShape(1).addShape(1).addValues(1.0)))
                    .build();
            assertThat(stub.predict(good).hasData()).isTrue();
            SeldonMessage huge = SeldonMessage.newBuilder()
                    .setBinData(UnsafeByteOperations.unsafeWrap(new byte[100 << 20]))
                    .build();
            long start = System.nanoTime();
            try {
                stub.predict(huge);
                throw new AssertionError("a 100 MiB message was accepted");
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode())
                        .as(e.getStatus().toString())
                        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            }
            assertThat(elapsedMs(start)).isLessThan(20_000);
            // The same channel (the same HTTP/2 connection) serves on.
            assertThat(SeldonGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .predict(good)
                            .hasData())
                    .isTrue();
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        assertGoodRequestServed();
    }

    @Test
    @Order(11)
    void grpcConnectionsThatNeverCompleteTheirPrefaceAreDropped() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", grpc), 5_000);
                if (i % 2 == 0) {
                    s.getOutputStream()
                            .write("PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII)); // half a preface
                }
                sockets.add(s);
            }
            long start = System.nanoTime();
            for (Socket s : sockets) {
                assertThat(readsEndOfStreamAfterAnyBytes(s, HEADER_TIMEOUT_MS + 5_000))
                        .as("closed by the engine")
                        .isTrue();
            }
            assertThat(elapsedMs(start)).isLessThan(HEADER_TIMEOUT_MS + 6_000);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        assertGoodRequestServed();
    }

    /** True if the connection ends within the time (the server's own HTTP/2 settings may come first). */
    private static boolean readsEndOfStreamAfterAnyBytes(Socket s, long withinMs) throws IOException {
        s.setSoTimeout((int) withinMs);
        try {
            byte[] buf = new byte[1024];
            while (s.getInputStream().read(buf) >= 0) {
                // the server's SETTINGS frame, then the end
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    // ---------------------------------------------------------------- what it all cost

    @Test
    @Order(100)
    void theEngineKeptNoThreadsOrFileDescriptors() throws Exception {
        assertThat(engine.isAlive()).isTrue();
        // Connections still closing (lingering closes, idle keep-alives) go within the idle timeout.
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MS + 8_000);
        long fds = fds();
        while (fds > baselineFds + 2 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            fds = fds();
        }
        assertThat(fds).as("open file descriptors, baseline " + baselineFds).isLessThanOrEqualTo(baselineFds + 2);
        assertThat(threads()).as("threads, baseline " + baselineThreads).isLessThanOrEqualTo(baselineThreads + 4);
        // Every body reserved was released (nothing leaked from the budget), and the refusals were counted.
        String metrics = body(exchange(get("/prometheus")));
        assertThat(metrics)
                .containsPattern("(?m)^seldon_api_executor_memory_budget_used_bytes 0\\.0$")
                .containsPattern("(?m)^seldon_api_executor_memory_budget_limit_bytes [1-9]")
                .containsPattern("(?m)^seldon_api_executor_memory_budget_refusals_total [1-9]");
        assertGoodRequestServed();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Each answer 200 or 503 overloaded (or, with {@code timeouts}, the node's exact 504), and at least one admitted:
     * the budget is not too small for one.
     */
    private static void assertServedOrOverloaded(String what, List<String> answers, boolean timeouts) {
        List<Integer> statuses = answers.stream().map(FaultsIT::status).toList();
        System.out.println(what + ": " + statuses);
        for (String a : answers) {
            if (timeouts && status(a) == 504) {
                assertThat(body(a))
                        .isEqualTo(
                                "{\"status\":{\"code\":504,\"info\":\"node 'evil' did not answer POST "
                                        + "/predict within 1000 ms\",\"reason\":\"MICROSERVICE_TIMEOUT\",\"status\":\"FAILURE\"}}");
            } else {
                assertOkOrOverloaded(a);
            }
        }
        assertThat(statuses).containsAnyOf(200, timeouts ? 504 : 200);
    }

    private static void assertOkOrOverloaded(String a) {
        int status = status(a);
        assertThat(status).as(a.length() > 300 ? a.substring(0, 300) : a).isIn(200, 503);
        if (status == 503) {
            assertThat(a).containsIgnoringCase("retry-after: 1");
            assertThat(body(a))
                    .isEqualTo(
                            "{\"status\":{\"code\":503,\"info\":\"the engine is holding as much request and "
                                    + "answer data as its memory allows; retry later\",\"reason\":\"ENGINE_OVERLOADED\",\"status\":\"FAILURE\"}}");
        }
    }

    private static void assertGoodRequestServed() throws IOException {
        String a = exchange(predict(GOOD));
        assertThat(status(a)).as(a).isEqualTo(200);
        assertThat(body(a)).contains("\"ndarray\":[[1.0]]");
    }

    interface Call {
        String run(int i) throws Exception;
    }

    private static List<String> concurrently(int n, Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> call.run(index)));
            }
            List<String> out = new ArrayList<>();
            for (Future<String> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] predict(String body, String... headers) {
        StringBuilder r = new StringBuilder(PREDICT);
        for (String h : headers) {
            r.append(h).append("\r\n");
        }
        r.append("Content-Length: ").append(body.length()).append("\r\n\r\n").append(body);
        return r.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: engine\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** One request on a new connection; its answer (head and body), read while the request is still being sent. */
    private static String exchange(byte[] request) throws IOException {
        try (Socket s = connect()) {
            CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
                try {
                    send(s, request);
                } catch (IOException e) {
                    // the engine answered and stopped reading: the answer tells
                }
            });
            String answer = readAnswer(s.getInputStream());
            sent.cancel(false);
            return answer;
        }
    }

    private static Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", http), 5_000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static void send(Socket s, byte[] bytes) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    /** One answer: the head, then as many body bytes as its content-length says. */
    static String readAnswer(InputStream in) throws IOException {
        String head = EvilComponent.readHead(in);
        if (head == null) {
            throw new IOException("connection closed without an answer");
        }
        String length = EvilComponent.header(head, "content-length");
        byte[] body = in.readNBytes(length.isEmpty() ? 0 : Integer.parseInt(length));
        return head + new String(body, StandardCharsets.UTF_8);
    }

    /** True if the connection ends (EOF or reset) within the time, with no byte before it. */
    private static boolean readsEndOfStream(Socket s, long withinMs) throws IOException {
        s.setSoTimeout((int) withinMs);
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset: ended too
        }
    }

    static int status(String answer) {
        return Integer.parseInt(answer.substring(9, 12));
    }

    static String body(String answer) {
        int i = answer.indexOf("\r\n\r\n");
        return i < 0 ? "" : answer.substring(i + 4);
    }

    private static long elapsedMs(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    private static long fds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", "" + engine.pid(), "fd"))) {
            return s.count();
        }
    }

    private static long threads() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", "" + engine.pid(), "task"))) {
            return s.count();
        }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("seldonj-engine-.*\\.jar")
                            && !f.getFileName().toString().startsWith("original-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("run mvn package first: no engine jar in target/"));
        }
    }
}
