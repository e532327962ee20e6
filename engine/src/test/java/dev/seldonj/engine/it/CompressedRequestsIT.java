package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compressed request bodies through a real engine: inflated before the component sees them, refused with
 * 413 when they inflate past the limit (a gzip bomb costs the limit, not what it would inflate to), and
 * refused with 400 when they do not match their Content-Encoding.
 */
class CompressedRequestsIT {

    private static final int LIMIT = 1024 * 1024;
    private static final String REQUEST = "{\"meta\":{\"tags\":{\"client\":1}},\"data\":{\"ndarray\":[[1,2]]}}";
    private static final String TOO_LARGE = "HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n\r\n";

    private static RawHttp.Component model;
    private static EngineFixture engine;

    @BeforeAll
    static void start() throws Exception {
        byte[] answer = "{\"data\":{\"ndarray\":[[0.5]]}}".getBytes(StandardCharsets.US_ASCII);
        model = new RawHttp.Component(r -> List.of(
                RawHttp.ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + "Content-Length: "
                        + answer.length + "\r\n\r\n"),
                answer));
        engine = EngineFixture.start(new EngineFixture.Spec("{name: model, type: MODEL}")
                .container("model", model.port(), 0)
                .annotation("seldon.io/rest-max-body-size", Integer.toString(LIMIT)));
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
        model.close();
    }

    private static byte[] post(byte[] body, String headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(
                RawHttp.ascii("POST /api/v1.0/predictions HTTP/1.1\r\nHost: engine\r\nContent-Type: application/json"
                        + "\r\nSeldon-Puid: p\r\n" + headers + "Content-Length: " + body.length + "\r\n\r\n"));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data, int level) throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz) {
            {
                def.setLevel(level);
            }
        }) {
            out.write(data);
        }
        return gz.toByteArray();
    }

    private static byte[] deflate(byte[] data, boolean raw) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        deflater.setInput(data);
        deflater.finish();
        byte[] out = new byte[data.length + 64];
        int n = deflater.deflate(out);
        deflater.end();
        return Arrays.copyOf(out, n);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    /** A JSON body of ~120 MB of zeros in ~120 KB of gzip: the reproduction that exhausted the heap. */
    private static byte[] bomb() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        byte[] zeros = "0,".repeat(512 * 1024).getBytes(StandardCharsets.US_ASCII);
        try (GZIPOutputStream out = new GZIPOutputStream(gz) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            out.write("{\"data\":{\"ndarray\":[".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 115; i++) {
                out.write(zeros);
            }
            out.write("0]}}".getBytes(StandardCharsets.US_ASCII));
        }
        return gz.toByteArray();
    }

    @Test
    void everyEncodingReachesTheComponentAsThePlainRequestDoes() throws Exception {
        byte[] plain = REQUEST.getBytes(StandardCharsets.UTF_8);
        byte[] half = Arrays.copyOf(plain, 20);
        byte[] rest = Arrays.copyOfRange(plain, 20, plain.length);
        Map<String, byte[]> requests = new LinkedHashMap<>();
        requests.put("", plain);
        requests.put("Content-Encoding: identity\r\n", plain);
        requests.put("Content-Encoding: gzip\r\n", gzip(plain, Deflater.DEFAULT_COMPRESSION));
        requests.put("Content-Encoding: X-GZIP\r\n", gzip(plain, Deflater.BEST_COMPRESSION));
        requests.put("Content-Encoding:  Gzip \r\n", concat(gzip(half, 1), gzip(rest, 9)));
        requests.put("Content-Encoding: deflate\r\n", deflate(plain, false));
        requests.put("Content-Encoding: deflate \r\n", deflate(plain, true));
        requests.put("Content-Encoding: x-deflate\r\n", deflate(plain, false));
        model.received().clear();
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            for (Map.Entry<String, byte[]> r : requests.entrySet()) {
                assertThat(c.send(post(r.getValue(), r.getKey())).answer())
                        .as(r.getKey())
                        .startsWith("HTTP/1.1 200 OK\r\n")
                        .contains("Seldon-Puid: p\r\n");
            }
        }

        List<String> received = model.received();
        assertThat(received).hasSize(requests.size());
        assertThat(received.get(0)).endsWith("\r\n\r\n" + REQUEST).contains("content-length: " + plain.length + "\r\n");
        assertThat(received)
                .as("what the component gets: the plain request, every time")
                .containsOnly(received.get(0));
    }

    @Test
    void gzipBombsGet413HoldingTheLimitAndTheEngineServesOn() throws Exception {
        byte[] bomb = bomb();
        assertThat(bomb.length).isLessThan(130_000);
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<List<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(CompletableFuture.supplyAsync(
                        () -> {
                            try (RawHttp.Client c =
                                    new RawHttp.Client(engine.engine().httpPort())) {
                                // The rest of the refused body is skipped; the kept-alive connection answers the next
                                // request.
                                String refused = c.send(post(bomb, "Content-Encoding: gzip\r\n"))
                                        .answer();
                                String next = c.send(post(REQUEST.getBytes(StandardCharsets.UTF_8), ""))
                                        .answer();
                                return List.of(refused, next);
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        clients));
            }
            for (CompletableFuture<List<String>> a : answers) {
                List<String> both = a.get(60, TimeUnit.SECONDS);
                assertThat(both.get(0)).isEqualTo(TOO_LARGE);
                assertThat(both.get(1)).startsWith("HTTP/1.1 200 OK\r\n");
            }
        } finally {
            clients.shutdownNow();
        }

        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            // Only the start of the bomb (1.6 KB, ~1.6 MB inflated), all in the engine's first read (2 KiB): it
            // closes with nothing left unread (else the close is a reset, which may beat the answer).
            byte[] request = post(bomb, "Connection: close\r\nContent-Encoding: x-gzip\r\n");
            c.send(Arrays.copyOf(request, request.length - bomb.length + 1600));
            assertThat(c.answer())
                    .isEqualTo("HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n"
                            + "connection: close\r\n\r\n");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(engine.predict(REQUEST).statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyThatDoesNotMatchItsEncodingIs400AndTheConnectionCloses() throws Exception {
        byte[] plain = REQUEST.getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(plain, Deflater.DEFAULT_COMPRESSION);
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 6] ^= 1;
        Map<byte[], String> bodies = new LinkedHashMap<>();
        bodies.put(badCrc, "the gzip trailer's CRC-32 is 0x");
        bodies.put(Arrays.copyOf(gz, gz.length - 3), "the body ends inside the gzip trailer");
        bodies.put(Arrays.copyOf(gz, gz.length / 2), "the body ends before the end of the compressed data");
        bodies.put(concat(gz, "garbage".getBytes(StandardCharsets.US_ASCII)), "bytes after the end of the gzip data");
        bodies.put(plain, "not gzip data: it starts with 0x7b 0x22, not 0x1f 0x8b");

        for (Map.Entry<byte[], String> b : bodies.entrySet()) {
            try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
                String answer =
                        c.send(post(b.getKey(), "Content-Encoding: gzip\r\n")).answer();
                assertThat(answer)
                        .startsWith("HTTP/1.1 400 Bad Request\r\n")
                        .contains("connection: close\r\n")
                        .contains("the request body does not match its Content-Encoding: " + b.getValue());
                assertThat(c.closedByPeer()).isTrue();
            }
        }
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            String answer = c.send(post(concat(deflate(plain, false), new byte[] {0}), "Content-Encoding: deflate\r\n"))
                    .answer();
            assertThat(answer)
                    .startsWith("HTTP/1.1 400 Bad Request\r\n")
                    .contains("does not match its Content-Encoding: bytes after the end of the deflate data");
            assertThat(c.closedByPeer()).isTrue();
        }
        assertThat(engine.predict(REQUEST).statusCode()).isEqualTo(200);
    }
}
