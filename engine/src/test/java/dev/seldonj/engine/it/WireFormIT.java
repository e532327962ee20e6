package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bytes on both sides of the engine, pinned: the answers clients get and the requests components
 * get. The engine writes both itself (no Netty encoder), so these expectations are the contract; they
 * are what the engine sent when Netty's encoders and a Jackson generator wrote them.
 */
class WireFormIT {

    private static final String ANSWER = "{\"data\":{\"names\":[\"p\"],\"ndarray\":[[0.9]]},\"meta\":{\"tags\":{\"m\":"
            + "\"\u00e9\\u00e9\"},\"metrics\":[{\"key\":\"k\",\"value\":1.5}],\"requestPath\":{\"inner\":\"img/inner:2\"}}}";
    private static final String REQUEST = "{\"meta\":{\"tags\":{\"client\":1}},\"data\":{\"ndarray\":[[1,2]]}}";

    private RawHttp.Component model;
    private EngineFixture engine;

    @BeforeEach
    void start() throws Exception {
        model = new RawHttp.Component(r -> json(200, ANSWER));
        engine = EngineFixture.start(new EngineFixture.Spec("{name: model, type: MODEL}")
                .container("model", model.port(), 0)
                .annotation("seldon.io/rest-max-body-size", "4096"));
    }

    @AfterEach
    void stop() throws Exception {
        engine.close();
        model.close();
    }

    private static List<byte[]> json(int status, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return List.of(
                RawHttp.ascii("HTTP/1.1 " + status + " OK\r\nContent-Type: application/json\r\nContent-Length: "
                        + b.length + "\r\n\r\n"),
                b);
    }

    private static String post(String path, String body, String headers) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: engine\r\nContent-Type: application/json\r\n" + headers
                + "Content-Length: " + b.length + "\r\n\r\n" + new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String utf8(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private String componentGot(String path, String headers, String body) {
        return "POST " + path + " HTTP/1.1\r\n" + headers + "host: localhost:" + model.port()
                + "\r\ncontent-type: application/json\r\ncontent-length: " + body.length()
                + "\r\nSeldon-Puid: p\r\n\r\n" + body;
    }

    /** The connection was kept: it serves another request. */
    private static void assertStillServes(RawHttp.Client c) throws Exception {
        assertThat(c.send("GET /live HTTP/1.1\r\nHost: x\r\n\r\n").answer()).endsWith("\r\n\r\nlive");
    }

    @Test
    void predictionBothWays() throws Exception {
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            String answer = c.send(post("/api/v1.0/predictions", REQUEST, "Seldon-Puid: p\r\nX-Trace: t1\r\n"))
                    .answer();

            String body =
                    "{\"meta\":{\"metrics\":[{\"key\":\"k\",\"value\":1.5}],\"puid\":\"p\",\"tags\":{\"client\":1,\"m\":"
                            + "\"\u00e9\u00e9\"},\"routing\":{},\"requestPath\":{\"model\":\"test/model:1.0\",\"inner\":\"img/inner:2\"}},"
                            + "\"data\":{\"names\":[\"p\"],"
                            + "\"ndarray\":[[0.9]]}}";
            assertThat(answer)
                    .isEqualTo("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                            + body.getBytes(StandardCharsets.UTF_8).length
                            + "\r\nX-Content-Type-Options: nosniff\r\nSeldon-Puid: p\r\n\r\n"
                            + utf8(body));
            assertThat(model.received()).containsExactly(componentGot("/predict", "X-Trace: t1\r\n", REQUEST));
            assertStillServes(c);
        }
    }

    @Test
    void answersWithoutAGraph() throws Exception {
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            assertThat(c.send("OPTIONS /api/v1.0/predictions HTTP/1.1\r\nHost: x\r\n\r\n")
                            .answer())
                    .isEqualTo(
                            "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nX-Content-Type-Options: nosniff\r\naccess-control-allow-origin: *\r\n"
                                    + "access-control-allow-methods: GET, OPTIONS, POST\r\naccess-control-allow-headers: Accept, Accept-Encoding, "
                                    + "Authorization, Content-Length, Content-Type, X-CSRF-Token\r\n\r\n");
            assertThat(c.send("GET /api/v1.0/predictions HTTP/1.1\r\nHost: x\r\n\r\n")
                            .answer())
                    .isEqualTo(
                            "HTTP/1.1 405 Method Not Allowed\r\nallow: POST, OPTIONS\r\ncontent-type: application/json\r\n"
                                    + "content-length: 115\r\n\r\n{\"status\":{\"code\":405,\"info\":\"GET is not allowed here, use POST\","
                                    + "\"reason\":\"METHOD_NOT_ALLOWED\",\"status\":\"FAILURE\"}}");
            assertThat(c.send("GET /api/v1.0/doc HTTP/1.1\r\nHost: x\r\n\r\n").answer())
                    .isEqualTo("HTTP/1.1 302 Found\r\nlocation: /api/v1.0/doc/\r\ncontent-length: 0\r\n\r\n");
            assertThat(c.send("GET /live HTTP/1.1\r\nHost: x\r\n\r\n").answer())
                    .isEqualTo(
                            "HTTP/1.1 200 OK\r\n"
                                    + "content-type: text/plain\r\ncontent-length: 4\r\nX-Content-Type-Options: nosniff\r\n\r\nlive");
            // HEAD: the same head, no body; the next answer on the connection starts right after it.
            assertThat(c.send("HEAD /live HTTP/1.1\r\nHost: x\r\n\r\n").head())
                    .isEqualTo(
                            "HTTP/1.1 200 OK\r\n"
                                    + "content-type: text/plain\r\ncontent-length: 4\r\nX-Content-Type-Options: nosniff\r\n\r\n");
            assertThat(c.send("GET /live HTTP/1.1\r\nHost: x\r\n\r\n").answer()).endsWith("\r\n\r\nlive");
        }
    }

    @Test
    void errorsPassThroughAndBadRequestsNameTheProblem() throws Exception {
        model.answer(
                r -> List.of(RawHttp.ascii("HTTP/1.1 422 Unprocessable Entity\r\nContent-Type: application/problem+json"
                        + "\r\nContent-Length: 9\r\n\r\n{\"e\":\"x\"}")));
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            assertThat(c.send(post("/api/v1.0/predictions", REQUEST, "Seldon-Puid: p\r\n"))
                            .answer())
                    .isEqualTo(
                            "HTTP/1.1 422 Unprocessable Entity\r\ncontent-type: application/problem+json\r\ncontent-length: 9\r\n"
                                    + "X-Content-Type-Options: nosniff\r\nSeldon-Puid: p\r\n\r\n{\"e\":\"x\"}");
            assertThat(c.send(post(
                                    "/api/v1.0/predictions",
                                    "{\"data\":{\"tensor\":{\"values\":[true]}}}",
                                    "Seldon-Puid: p\r\n"))
                            .answer())
                    .isEqualTo("HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 155\r\n"
                            + "X-Content-Type-Options: nosniff\r\nSeldon-Puid: p\r\n\r\n{\"status\":{\"code\":400,\"info\":\"invalid "
                            + "request: data.tensor.values[0]: expected a number, got a boolean\",\"reason\":\"ENGINE_INVALID_JSON\","
                            + "\"status\":\"FAILURE\"}}");
            assertStillServes(c);
        }
    }

    @Test
    void connectionHeaders() throws Exception {
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            String answer = c.send(
                            post("/api/v1.0/predictions", REQUEST, "Connection: keep-alive\r\nSeldon-Puid: p\r\n")
                                    .replace("HTTP/1.1", "HTTP/1.0"))
                    .answer();
            assertThat(answer)
                    .startsWith("HTTP/1.1 200 OK\r\n")
                    .contains("\r\nSeldon-Puid: p\r\nconnection: keep-alive\r\n\r\n");
            assertStillServes(c);
        }
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            String answer = c.send(post("/api/v1.0/predictions", REQUEST, "Connection: close\r\nSeldon-Puid: p\r\n"))
                    .answer();
            assertThat(answer).contains("\r\nSeldon-Puid: p\r\nconnection: close\r\n\r\n{\"meta\":");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void expectContinueAndBodiesOverTheLimit() throws Exception {
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            String body = "{\"strData\":\"x\"}";
            c.send(
                    "POST /api/v1.0/predictions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
                            + "Seldon-Puid: p\r\nContent-Length: " + body.length() + "\r\n\r\n");
            assertThat(c.head()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
            assertThat(c.send(body).answer()).startsWith("HTTP/1.1 200 OK\r\n");
            assertThat(model.received().get(0)).doesNotContainIgnoringCase("expect");

            assertThat(c.send("POST /x HTTP/1.1\r\nHost: x\r\nExpect: magic\r\nContent-Length: 0\r\n\r\n")
                            .answer())
                    .isEqualTo("HTTP/1.1 417 Expectation Failed\r\ncontent-length: 0\r\n\r\n");
            // Over the limit: 413, the body is skipped, the kept-alive connection serves the next request.
            assertThat(c.send(post("/api/v1.0/predictions", "{\"strData\":\"" + "x".repeat(5000) + "\"}", ""))
                            .answer())
                    .isEqualTo("HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n\r\n");
            assertThat(c.send(post("/api/v1.0/predictions", body, "")).answer()).startsWith("HTTP/1.1 200 OK\r\n");
            // Chunked, over the limit only once the pieces add up.
            String chunk = "x".repeat(3000);
            assertThat(c.send("POST /api/v1.0/predictions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n"
                                    + Integer.toHexString(chunk.length()) + "\r\n"
                                    + chunk + "\r\n0\r\n\r\n")
                            .answer())
                    .isEqualTo("HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n\r\n");
            assertThat(c.send(post("/api/v1.0/predictions", body, "")).answer()).startsWith("HTTP/1.1 200 OK\r\n");
        }
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            c.send(
                    "POST /api/v1.0/predictions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5000\r\n\r\n");
            assertThat(c.answer())
                    .isEqualTo("HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\nconnection: close"
                            + "\r\n\r\n");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void chunkedRequestsAndAnswersInPieces() throws Exception {
        // The component answers in pieces: chunked, split mid-chunk, after an unasked-for 100 Continue.
        model.answer(r -> List.of(
                RawHttp.ascii("HTTP/1.1 100 Continue\r\n\r\n"),
                RawHttp.ascii("HTTP/1.1 200 OK\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"dat\r\n"),
                RawHttp.ascii("17\r\na\":{\"ndarray\":[[1,"),
                RawHttp.ascii("2]]}}\r\n0\r\n\r\n")));
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            String answer = c.send(
                            "POST /api/v1.0/predictions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                    + "Seldon-Puid: p\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"st\r\n8\r\nrData\":\"\r\n3\r\nx\"}\r\n0\r\n\r\n")
                    .answer();
            assertThat(answer)
                    .endsWith("\r\n\r\n{\"meta\":{\"puid\":\"p\",\"tags\":{},\"routing\":{},\"requestPath\":"
                            + "{\"model\":\"test/model:1.0\"}},\"data\":{\"ndarray\":[[1,2]]}}");
            assertThat(model.received()).containsExactly(componentGot("/predict", "", "{\"strData\":\"x\"}"));
        }
    }

    @Test
    void largeBodiesGoThroughUnchanged() throws Exception {
        engine.close();
        engine = EngineFixture.start(
                new EngineFixture.Spec("{name: model, type: MODEL}").container("model", model.port(), 0));
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < 60_000; i++) {
            values.append(i > 0 ? "," : "").append(i).append(".25");
        }
        String big = "{\"data\":{\"names\":[\"a\"],\"tensor\":{\"shape\":[60000],\"values\":[" + values + "]}}}";
        model.answer(r -> {
            // Echo the body in uneven pieces.
            byte[] body = r.substring(r.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
            return List.of(
                    RawHttp.ascii("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n"),
                    Arrays.copyOfRange(body, 0, 1000),
                    Arrays.copyOfRange(body, 1000, body.length));
        });
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            String answer = c.send(post("/api/v1.0/predictions", big, "Seldon-Puid: p\r\n"))
                    .answer();
            assertThat(answer)
                    .endsWith("\r\n\r\n{\"meta\":{\"puid\":\"p\",\"tags\":{},\"routing\":{},\"requestPath\":{\"model\":"
                            + "\"test/model:1.0\"}}," + big.substring(1));
            assertThat(model.received()).containsExactly(componentGot("/predict", "", big));
        }
    }

    @Test
    void componentAnswersOverTheLimitOrCutShortAreErrorsNamingTheNode() throws Exception {
        model.answer(r -> json(200, "{\"strData\":\"" + "y".repeat(5000) + "\"}"));
        try (RawHttp.Client c = new RawHttp.Client(engine.engine().httpPort())) {
            assertThat(c.send(post("/api/v1.0/predictions", REQUEST, "")).answer())
                    .startsWith("HTTP/1.1 500 ")
                    .contains("node 'model' answered POST /predict with a body larger than the limit");
            String chunk = "800\r\n" + "y".repeat(2048) + "\r\n";
            model.answer(r -> List.of(
                    RawHttp.ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk),
                    RawHttp.ascii(chunk)));
            assertThat(c.send(post("/api/v1.0/predictions", REQUEST, "")).answer())
                    .startsWith("HTTP/1.1 500 ")
                    .contains("node 'model' answered POST /predict with a body larger than the limit");
            model.answer(
                    r -> Arrays.asList(RawHttp.ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"str"), null));
            assertThat(c.send(post("/api/v1.0/predictions", REQUEST, "")).answer())
                    .startsWith("HTTP/1.1 503 ")
                    .contains("node 'model' closed the connection during POST /predict");
            model.answer(r -> json(200, ANSWER));
            assertThat(c.send(post("/api/v1.0/predictions", REQUEST, "")).answer())
                    .startsWith("HTTP/1.1 200 ");
        }
    }
}
