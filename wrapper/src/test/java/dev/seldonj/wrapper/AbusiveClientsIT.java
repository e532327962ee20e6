package dev.seldonj.wrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The wrapper's REST and gRPC servers against clients that break the rules, on real sockets: each gets one clear
 * answer (Seldon's error JSON) and its connection is closed within the configured (here small) timeouts; afterwards
 * the server still answers and holds no more threads or file descriptors than before.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AbusiveClientsIT {

    static final int HEAD_MS = 500;
    static final int IDLE_MS = 800;
    static final int BODY_MS = 500;
    static final int MAX_BODY = 1 << 20;
    /** Time for a refused client to see its answer and the close, beyond the timeout itself. */
    static final int SLACK_MS = 1500;

    static final WrapperLimits LIMITS =
            new WrapperLimits(MAX_BODY, 8L * MAX_BODY, 8192, 16384, 100, HEAD_MS, IDLE_MS, BODY_MS, 1000, 64, 10_000);

    private static SeldonServer server;
    private static int baselineThreads;
    private static int baselineFds;

    /** Echoes strData after a random pause (so pipelined answers finish out of order); doubles numbers. */
    static final class Jittery implements SeldonComponent {
        @Override
        public SeldonMessage predict(SeldonMessage request) {
            if (request.hasData()) {
                return new SeldonServerIT.Doubler().predict(request);
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(25));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Payloads.passThrough(request);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        server = SeldonServer.start(new Jittery(), WrapperConfig.ephemeral(), LIMITS);
        // Warm every pool the tests touch (REST event loops, workers, the gRPC client and server), then count.
        for (int i = 0; i < 8; i++) {
            try (RawHttp c = new RawHttp(server.httpPort(), 5000)) {
                assertThat(c.send(predict("{\"strData\":\"warm\"}", true))
                                .answer()
                                .status())
                        .isEqualTo(200);
            }
        }
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
        ModelGrpc.newBlockingStub(channel)
                .predict(SeldonMessage.newBuilder().setStrData("warm").build());
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        Thread.sleep(1500); // the gRPC client's shared pools are let go a second after the last channel
        baselineThreads = threads();
        baselineFds = fds();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String predict(String json, boolean keepAlive) {
        return "POST /predict HTTP/1.1\r\nHost: w\r\nContent-Type: application/json\r\nContent-Length: " + json.length()
                + "\r\n" + (keepAlive ? "" : "Connection: close\r\n") + "\r\n" + json;
    }

    /** Sends the request; expects exactly one answer with this status and Seldon's error JSON, then the close. */
    private static RawHttp.Answer refusedAndClosed(String request, int status, long withinMs) throws IOException {
        try (RawHttp c = new RawHttp(server.httpPort(), (int) withinMs + SLACK_MS)) {
            long start = System.nanoTime();
            try {
                c.send(request);
            } catch (IOException e) {
                // the server may stop reading a head it refused; its answer is still there to read
            }
            RawHttp.Answer a = c.answer();
            RawHttp.End end = c.end();
            assertThat(a.status()).as(a.head()).isEqualTo(status);
            assertThat(a.head()).containsIgnoringCase("connection: close").containsIgnoringCase("application/json");
            assertThat(a.body())
                    .matches("\\{\"status\":\\{\"code\":-1,\"info\":\".+\",\"reason\":\"[A-Z_]+\",\"status\":1}}");
            assertThat(end.closed()).as("closed after the answer").isTrue();
            assertThat(end.rest()).as("nothing after the one answer").isEmpty();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(withinMs + SLACK_MS);
            return a;
        }
    }

    @Test
    @Order(1)
    void a100KbHeaderIs431() throws IOException {
        String big = "X-Big: " + "a".repeat(100 * 1024) + "\r\n";
        assertThat(refusedAndClosed(
                                "POST /predict HTTP/1.1\r\nHost: w\r\n" + big + "Content-Length: 2\r\n\r\n{}", 431, 0)
                        .body())
                .contains("HEADERS_TOO_LARGE", "SELDONJ_MAX_HEADER_BYTES");
    }

    @Test
    @Order(1)
    void tenThousandHeadersAre431AndSoAreMoreThanTheCount() throws IOException {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        refusedAndClosed("GET /health/ping HTTP/1.1\r\nHost: w\r\n" + many + "\r\n", 431, 0);
        StringBuilder few = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            few.append("a").append(i).append(": b\r\n");
        }
        assertThat(refusedAndClosed("GET /health/ping HTTP/1.1\r\n" + few + "\r\n", 431, 0)
                        .body())
                .contains("150 header lines", "SELDONJ_MAX_HEADER_COUNT");
    }

    @Test
    @Order(1)
    void aLongUrlIs414() throws IOException {
        assertThat(refusedAndClosed("GET /health/ping?" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: w\r\n\r\n", 414, 0)
                        .body())
                .contains("URI_TOO_LONG");
    }

    @Test
    @Order(1)
    void malformedFramingIsOne400AndTheClose() throws IOException {
        Map<String, String> cases = Map.of(
                "Content-Length: -5\r\n\r\n", "Content-Length",
                "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "Content-Length",
                "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", "Transfer-Encoding",
                "NoColonHere\r\nContent-Length: 2\r\n\r\n{}", "colon",
                "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", "chunk size");
        for (var c : cases.entrySet()) {
            // A second, valid request right behind must not be answered: the connection is over.
            RawHttp.Answer a = refusedAndClosed(
                    "POST /predict HTTP/1.1\r\nHost: w\r\n" + c.getKey() + predict("{\"strData\":\"after\"}", true),
                    400,
                    0);
            assertThat(a.body()).as(c.getKey()).contains("BAD_HTTP_REQUEST", c.getValue());
        }
    }

    @Test
    @Order(1)
    void transferCodingsOtherThanChunkedAre501AndOtherHttpVersions505() throws IOException {
        String json = "{\"strData\":\"x\"}";
        assertThat(refusedAndClosed(
                                "POST /predict HTTP/1.1\r\nHost: w\r\nTransfer-Encoding: gzip, chunked\r\n\r\nf\r\n"
                                        + json + "\r\n0\r\n\r\n",
                                501,
                                0)
                        .body())
                .contains("NOT_IMPLEMENTED", "gzip, chunked");
        refusedAndClosed(
                "POST /predict HTTP/1.1\r\nHost: w\r\nTransfer-Encoding: identity\r\nContent-Length: 15\r\n\r\n" + json,
                501,
                0);
        assertThat(refusedAndClosed("GET /health/ping HTTP/2.0\r\nHost: w\r\n\r\n", 505, 0)
                        .body())
                .contains("HTTP_VERSION_NOT_SUPPORTED");
    }

    @Test
    @Order(1)
    void anAbsoluteFormTargetAndAChunkedBodyWithATrailerAreServed() throws IOException {
        String json = "{\"strData\":\"x\"}";
        try (RawHttp c = new RawHttp(server.httpPort(), 5000)) {
            assertThat(c.send("POST http://w/predict HTTP/1.1\r\nHost: w\r\nContent-Length: 15\r\n\r\n" + json)
                            .answer()
                            .body())
                    .isEqualTo("{\"meta\":{},\"strData\":\"x\"}");
            assertThat(c.send("POST /predict HTTP/1.1\r\nHost: w\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n"
                                    + json.substring(0, 5) + "\r\na\r\n" + json.substring(5)
                                    + "\r\n0\r\nX-Trailer: 1\r\n\r\n")
                            .answer()
                            .body())
                    .isEqualTo("{\"meta\":{},\"strData\":\"x\"}");
        }
    }

    @Test
    @Order(1)
    void bodiesOverTheLimitAre413BeforeTheyAreRead() throws IOException {
        assertThat(refusedAndClosed(
                                "POST /predict HTTP/1.1\r\nHost: w\r\nContent-Length: 4000000000\r\n\r\n{\"data\":",
                                413,
                                0)
                        .body())
                .contains("PAYLOAD_TOO_LARGE", "SELDONJ_MAX_BODY_BYTES");
        String chunk = Integer.toHexString(MAX_BODY / 2) + "\r\n" + "a".repeat(MAX_BODY / 2) + "\r\n";
        refusedAndClosed(
                "POST /predict HTTP/1.1\r\nHost: w\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + chunk,
                413,
                0);
    }

    @Test
    @Order(1)
    void aTrickledHeadIs408AndClosedWithinTheTimeout() throws Exception {
        try (RawHttp c = new RawHttp(server.httpPort(), HEAD_MS + SLACK_MS)) {
            long start = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (char ch :
                            "POST /predict HTTP/1.1\r\nHost: w\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaa\r\n".toCharArray()) {
                        c.send(String.valueOf(ch));
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server, as it should be
                }
            });
            trickle.start();
            RawHttp.Answer a = c.answer();
            RawHttp.End end = c.end();
            long took = (System.nanoTime() - start) / 1_000_000;
            trickle.interrupt();
            trickle.join();
            assertThat(a.status()).isEqualTo(408);
            assertThat(a.body()).contains("REQUEST_TIMEOUT", "SELDONJ_HEADER_READ_TIMEOUT_MS");
            assertThat(end.closed()).isTrue();
            assertThat(took).isBetween((long) HEAD_MS - 50, (long) HEAD_MS + SLACK_MS);
        }
    }

    @Test
    @Order(1)
    void aHalfSentBodyIs408AndClosed() throws IOException {
        RawHttp.Answer a = refusedAndClosed(
                "POST /predict HTTP/1.1\r\nHost: w\r\nContent-Length: 100\r\n\r\n{\"strData\"",
                408,
                BODY_MS + 10 * 1000 / 1000);
        assertThat(a.body()).contains("REQUEST_TIMEOUT", "10 of 100 bytes");
    }

    @Test
    @Order(1)
    void aBodyBelowTheMinimumRateIs408EvenWhileBytesKeepComing() throws Exception {
        try (RawHttp c = new RawHttp(server.httpPort(), 5000)) {
            long start = System.nanoTime();
            c.send("POST /predict HTTP/1.1\r\nHost: w\r\nContent-Length: 5000\r\n\r\n");
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < 5000; i++) {
                        c.send("a"); // 100 bytes per second, a tenth of the minimum
                        Thread.sleep(10);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server
                }
            });
            trickle.start();
            RawHttp.Answer a = c.answer();
            trickle.interrupt();
            trickle.join();
            assertThat(a.status()).isEqualTo(408);
            assertThat(a.body()).contains("SELDONJ_MIN_BODY_BYTES_PER_SECOND");
            assertThat(c.end().closed()).isTrue();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(BODY_MS + 1000 + SLACK_MS);
        }
    }

    @Test
    @Order(1)
    void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws IOException {
        try (RawHttp c = new RawHttp(server.httpPort(), IDLE_MS + SLACK_MS)) {
            assertThat(c.send("GET /health/ping HTTP/1.1\r\nHost: w\r\n\r\n")
                            .answer()
                            .body())
                    .isEqualTo("pong");
            RawHttp.End end = c.end();
            assertThat(end.closed()).isTrue();
            assertThat(end.rest()).isEmpty(); // closed quietly: no answer to a request never made
            assertThat(end.afterMs()).isBetween((long) IDLE_MS - 50, (long) IDLE_MS + SLACK_MS);
        }
    }

    @Test
    @Order(1)
    void pipelinedRequestsAreAnsweredInOrderDespiteJitteredModelLatency() throws IOException {
        try (RawHttp c = new RawHttp(server.httpPort(), 10_000)) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                all.append(predict("{\"strData\":\"r" + i + "\"}", true));
            }
            all.append("GET /health/ping HTTP/1.1\r\nHost: w\r\n\r\n");
            all.append(predict("{\"strData\":\"last\"}", false));
            c.send(all.toString());
            for (int i = 0; i < 40; i++) {
                RawHttp.Answer a = c.answer();
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.body()).isEqualTo("{\"meta\":{},\"strData\":\"r" + i + "\"}");
            }
            assertThat(c.answer().body()).isEqualTo("pong");
            assertThat(c.answer().body()).contains("\"last\"");
            assertThat(c.end().closed()).isTrue(); // the last asked for Connection: close
        }
    }

    @Test
    @Order(1)
    void http10ClientsKeepTheConnectionOnlyWhenTheyAskForIt() throws IOException {
        try (RawHttp c = new RawHttp(server.httpPort(), 5000)) {
            RawHttp.Answer kept = c.send("GET /health/ping HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .answer();
            assertThat(kept.head()).containsIgnoringCase("connection: keep-alive");
            RawHttp.Answer last = c.send("GET /health/ping HTTP/1.0\r\n\r\n").answer();
            assertThat(last.body()).isEqualTo("pong");
            assertThat(c.end().closed()).isTrue();
        }
    }

    @Test
    @Order(1)
    void aFormEncodedBodyAndA100ContinueStillWork() throws IOException {
        String form = "json=%7B%22strData%22%3A%22f%22%7D";
        try (RawHttp c = new RawHttp(server.httpPort(), 5000)) {
            c.send("POST /predict HTTP/1.1\r\nHost: w\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + form.length() + "\r\n\r\n");
            assertThat(c.answer().status()).isEqualTo(100);
            RawHttp.Answer a = c.send(form).answer();
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).contains("\"strData\":\"f\"");
        }
    }

    @Test
    @Order(2)
    void twoHundredHeldConnectionsAreAllClosedAfterTheTimeouts() throws Exception {
        List<RawHttp> held = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                RawHttp c = new RawHttp(server.httpPort(), HEAD_MS + IDLE_MS + BODY_MS + 2 * SLACK_MS);
                switch (i % 4) {
                    case 0 -> {} // silent
                    case 1 -> c.send("POST /predict HTTP/1.1\r\nHost: w\r\n"); // half a head
                    case 2 -> c.send("POST /predict HTTP/1.1\r\nHost: w\r\nContent-Length: 50\r\n\r\n{"); // half a body
                    default -> c.send("GET /health/ping HTTP/1.1\r\nHost: w\r\n\r\n"); // then idle
                }
                held.add(c);
            }
            long start = System.nanoTime();
            for (int i = 0; i < held.size(); i++) {
                RawHttp.End end = held.get(i).end();
                assertThat(end.closed())
                        .as("connection %d (kind %d) closed", i, i % 4)
                        .isTrue();
            }
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(Math.max(HEAD_MS, IDLE_MS) + 2 * SLACK_MS);
        } finally {
            for (RawHttp c : held) {
                c.close();
            }
        }
    }

    @Test
    @Order(2)
    void aHugeGrpcMessageIsResourceExhaustedAndTheChannelGoesOn() throws InterruptedException {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
        try {
            var stub = ModelGrpc.newBlockingStub(channel);
            SeldonMessage huge = SeldonMessage.newBuilder()
                    .setBinData(ByteString.copyFrom(new byte[2 * MAX_BODY]))
                    .build();
            assertThatThrownBy(() -> stub.predict(huge))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<String>> calls = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    String id = "g" + i;
                    calls.add(pool.submit(() -> stub.predict(
                                    SeldonMessage.newBuilder().setStrData(id).build())
                            .getStrData()));
                    calls.add(pool.submit(() -> {
                        try {
                            stub.predict(huge);
                            return "accepted";
                        } catch (StatusRuntimeException e) {
                            return e.getStatus().getCode().name();
                        }
                    }));
                }
                for (int i = 0; i < calls.size(); i++) {
                    assertThat(calls.get(i).get(10, TimeUnit.SECONDS))
                            .isEqualTo(i % 2 == 0 ? "g" + i / 2 : "RESOURCE_EXHAUSTED");
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            } finally {
                pool.shutdownNow();
            }
            assertThat(stub.predict(SeldonMessage.newBuilder()
                                    .setStrData("after")
                                    .build())
                            .getStrData())
                    .isEqualTo("after");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(2)
    void grpcLetsGoOfSilentAndIdleConnections() throws Exception {
        // A TCP connection that never starts HTTP/2: closed after the handshake timeout.
        try (RawHttp silent = new RawHttp(server.grpcPort(), HEAD_MS + SLACK_MS)) {
            RawHttp.End end = silent.end();
            assertThat(end.closed() || end.reset())
                    .as("closed by the gRPC server")
                    .isTrue();
            assertThat(end.afterMs()).isLessThan(HEAD_MS + SLACK_MS);
        }
        // A channel with nothing to do: the server ends it after the idle timeout (the client's channel goes IDLE), and
        // the next call simply reconnects.
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
        try {
            var stub = ModelGrpc.newBlockingStub(channel);
            assertThat(stub.predict(SeldonMessage.newBuilder().setStrData("1").build())
                            .getStrData())
                    .isEqualTo("1");
            assertThat(channel.getState(false)).isEqualTo(ConnectivityState.READY);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_MS + 2L * SLACK_MS);
            while (channel.getState(false) == ConnectivityState.READY && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(channel.getState(false)).isNotEqualTo(ConnectivityState.READY);
            assertThat(stub.predict(SeldonMessage.newBuilder().setStrData("2").build())
                            .getStrData())
                    .isEqualTo("2");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(3)
    void aFullWorkerQueueIs503WithRetryAfter() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SeldonComponent blocking = new SeldonComponent() {
            @Override
            public SeldonMessage predict(SeldonMessage request) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Payloads.passThrough(request);
            }
        };
        WrapperConfig oneWorker = new WrapperConfig(
                0, 0, 0, "/prometheus", "", "x:y", ComponentParameters.parse(null), false, "d", "p", "v", 1);
        WrapperLimits oneQueued =
                new WrapperLimits(MAX_BODY, 8L * MAX_BODY, 8192, 16384, 100, HEAD_MS, 10_000, BODY_MS, 1000, 1, 10_000);
        List<RawHttp> clients = new ArrayList<>();
        try (SeldonServer busy = SeldonServer.start(blocking, oneWorker, oneQueued)) {
            for (int i = 0; i < 4; i++) {
                clients.add(new RawHttp(busy.httpPort(), 10_000).send(predict("{\"strData\":\"b" + i + "\"}", true)));
                Thread.sleep(100); // in order: two taken (one running, one queued), two refused
            }
            RawHttp.Answer third = clients.get(2).answer();
            assertThat(third.status()).isEqualTo(503);
            assertThat(third.head()).containsIgnoringCase("retry-after: 1");
            assertThat(third.body()).contains("SERVER_BUSY", "SELDONJ_MAX_QUEUED_REQUESTS");
            assertThat(clients.get(3).answer().status()).isEqualTo(503);
            release.countDown();
            assertThat(clients.get(0).answer().body()).contains("b0");
            assertThat(clients.get(1).answer().body()).contains("b1");
            // The refused connections were read to their end: they may go on.
            assertThat(clients.get(2)
                            .send(predict("{\"strData\":\"again\"}", true))
                            .answer()
                            .body())
                    .contains("again");
        } finally {
            release.countDown();
            for (RawHttp c : clients) {
                c.close();
            }
        }
    }

    @Test
    @Order(3)
    void largeBodiesBeyondTheInflightBudgetAreRefusedOverRestAndGrpc() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        SeldonComponent blocking = new SeldonComponent() {
            @Override
            public SeldonMessage predict(SeldonMessage request) {
                if (request.getStrData().startsWith("hold")) {
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return SeldonMessage.newBuilder()
                        .setStrData(request.getStrData().substring(0, 4))
                        .build();
            }
        };
        int big = 600_000;
        WrapperLimits budgeted =
                new WrapperLimits(MAX_BODY, 1_000_000, 8192, 16384, 100, HEAD_MS, 10_000, BODY_MS, 1000, 64, 10_000);
        ManagedChannel channel = null;
        List<RawHttp> clients = new ArrayList<>();
        try (SeldonServer s = SeldonServer.start(blocking, WrapperConfig.ephemeral(), budgeted)) {
            channel = ManagedChannelBuilder.forAddress("127.0.0.1", s.grpcPort())
                    .usePlaintext()
                    .build();
            var stub = ModelGrpc.newBlockingStub(channel);
            // One large body held by the component: alone, it fits.
            RawHttp holder = new RawHttp(s.httpPort(), 10_000);
            clients.add(holder);
            holder.send(predict("{\"strData\":\"hold" + "a".repeat(big) + "\"}", true));
            Thread.sleep(300);
            // A second large body does not fit beside it: 503 before it is read, over REST; RESOURCE_EXHAUSTED over
            // gRPC.
            RawHttp.Answer refused =
                    refusedAndClosedOn(s.httpPort(), predict("{\"strData\":\"next" + "a".repeat(big) + "\"}", true));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.head()).containsIgnoringCase("retry-after: 1");
            assertThat(refused.body()).contains("SERVER_BUSY", "SELDONJ_MAX_INFLIGHT_BODY_BYTES");
            assertThatThrownBy(() -> stub.predict(SeldonMessage.newBuilder()
                            .setStrData("grpc" + "a".repeat(big))
                            .build()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                        assertThat(e.getStatus().getDescription()).contains("SELDONJ_MAX_INFLIGHT_BODY_BYTES");
                    });
            // Small ones still fit, on both.
            assertThat(stub.predict(SeldonMessage.newBuilder()
                                    .setStrData("tiny")
                                    .build())
                            .getStrData())
                    .isEqualTo("tiny");
            try (RawHttp small = new RawHttp(s.httpPort(), 5000)) {
                assertThat(small.send(predict("{\"strData\":\"smol\"}", true))
                                .answer()
                                .body())
                        .contains("smol");
            }
            release.countDown();
            assertThat(holder.answer().body()).contains("hold");
            // Given back: the large ones fit again.
            assertThat(stub.predict(SeldonMessage.newBuilder()
                                    .setStrData("grpc" + "a".repeat(big))
                                    .build())
                            .getStrData())
                    .isEqualTo("grpc");
        } finally {
            release.countDown();
            if (channel != null) {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
            for (RawHttp c : clients) {
                c.close();
            }
        }
    }

    private static RawHttp.Answer refusedAndClosedOn(int port, String request) throws IOException {
        try (RawHttp c = new RawHttp(port, 5000)) {
            try {
                c.send(request);
            } catch (IOException e) {
                // refused before the body was read
            }
            RawHttp.Answer a = c.answer();
            assertThat(c.end().closed()).isTrue();
            return a;
        }
    }

    @Test
    @Order(9)
    void afterAllOfItTheServerAnswersAndHoldsNothingMore() throws Exception {
        try (RawHttp c = new RawHttp(server.httpPort(), 5000)) {
            assertThat(c.send(predict("{\"data\":{\"ndarray\":[[1,2]]}}", true))
                            .answer()
                            .body())
                    .contains("[[2.0,4.0]]");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int threads;
        int fds;
        do {
            Thread.sleep(200);
            threads = threads();
            fds = fds();
        } while ((threads > baselineThreads || fds > baselineFds) && System.nanoTime() < deadline);
        assertThat(threads).as("threads (at the start: %d)", baselineThreads).isLessThanOrEqualTo(baselineThreads);
        assertThat(fds)
                .as("open file descriptors (at the start: %d)", baselineFds)
                .isLessThanOrEqualTo(baselineFds);
    }

    @Test
    void theLimitsDefaultInOnePlaceAndAreRead() {
        WrapperLimits defaults = WrapperLimits.fromEnv(Map.of());
        assertThat(defaults.maxBodyBytes()).isEqualTo((int)
                Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 4));
        assertThat(defaults).isEqualTo(WrapperLimits.defaults());
        assertThat(defaults.headerReadTimeoutMs()).isEqualTo(10_000);
        WrapperLimits set = WrapperLimits.fromEnv(Map.of(
                "SELDONJ_MAX_BODY_BYTES",
                "1000",
                "SELDONJ_HEADER_READ_TIMEOUT_MS",
                "5",
                "SELDONJ_MAX_INFLIGHT_BODY_BYTES",
                "8000000000"));
        assertThat(set.maxBodyBytes()).isEqualTo(1000);
        assertThat(set.headerReadTimeoutMs()).isEqualTo(5);
        assertThat(set.maxInflightBodyBytes()).isEqualTo(8_000_000_000L);
        assertThatThrownBy(() -> WrapperLimits.fromEnv(Map.of("SELDONJ_MAX_BODY_BYTES", "-1")))
                .hasMessageContaining("SELDONJ_MAX_BODY_BYTES must be a positive integer");
        assertThatThrownBy(() -> WrapperLimits.fromEnv(Map.of("SELDONJ_IDLE_TIMEOUT_MS", "soon")))
                .hasMessageContaining("SELDONJ_IDLE_TIMEOUT_MS must be a positive integer, got 'soon'");
    }

    static int threads() {
        return Thread.getAllStackTraces().size();
    }

    static int fds() {
        return Objects.requireNonNull(new File("/proc/self/fd").list()).length;
    }
}
