package dev.seldonj.engine.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shapes of answer components actually send (Python's HTTP/1.0 servers, chunked servers, 1xx
 * answers) and broken ones, through a real engine: each is read, or refused with an error naming the
 * node, and the connection is kept only when the answer says it may be.
 */
class ComponentAnswersIT {

    private static final String REQUEST = "{\"data\":{\"ndarray\":[[1,2]]}}";
    private static final String ANSWER = "{\"data\":{\"ndarray\":[[0.5]]}}";
    private static final String ENGINE_ANSWER = "\r\n\r\n{\"meta\":{\"puid\":\"p\",\"tags\":{},\"routing\":{},"
            + "\"requestPath\":{\"model\":\"test/model:1.0\"}},\"data\":{\"ndarray\":[[0.5]]}}";

    private RawHttp.Component model;
    private EngineFixture engine;
    private RawHttp.Client client;

    @BeforeEach
    void start() throws Exception {
        model = new RawHttp.Component(r -> keepAlive(ANSWER));
        engine = EngineFixture.start(new EngineFixture.Spec("{name: model, type: MODEL}")
                .container("model", model.port(), 0)
                .annotation("seldon.io/rest-max-body-size", "4096")
                .annotation("seldon.io/rest-timeout", "10000"));
        client = new RawHttp.Client(engine.engine().httpPort());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        engine.close();
        model.close();
    }

    private static byte[] ascii(String s) {
        return RawHttp.ascii(s);
    }

    private static List<byte[]> keepAlive(String body) {
        return List.of(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body));
    }

    /** The engine's answer to a prediction (one client connection, so one event loop and one pool). */
    private String predict() throws Exception {
        byte[] b = REQUEST.getBytes(StandardCharsets.UTF_8);
        return client.send("POST /api/v1.0/predictions HTTP/1.1\r\nHost: engine\r\nContent-Type: application/json\r\n"
                        + "Seldon-Puid: p\r\nContent-Length: " + b.length + "\r\n\r\n" + REQUEST)
                .answer();
    }

    /** Answers with {@code pieces} once, then as a keep-alive JSON server again. */
    private void answerOnce(byte[]... pieces) {
        model.answer(r -> {
            model.answer(x -> keepAlive(ANSWER));
            return Arrays.asList(pieces);
        });
    }

    /** The answer was read, and the connection it came on was (or was not) used for the next call. */
    private void assertAnsweredAndConnectionKept(boolean kept) throws Exception {
        int before = model.connections();
        assertThat(predict()).startsWith("HTTP/1.1 200 OK\r\n").endsWith(ENGINE_ANSWER);
        int after = model.connections();
        assertThat(predict()).startsWith("HTTP/1.1 200 OK\r\n").endsWith(ENGINE_ANSWER);
        assertThat(model.connections()).as("connection kept").isEqualTo(kept ? after : after + 1);
        assertThat(after - before).isLessThanOrEqualTo(1);
    }

    private void assertRefused(String status, String message) throws Exception {
        assertThat(predict())
                .startsWith("HTTP/1.1 " + status + " ")
                .contains(message)
                .doesNotContain("Exception");
        int before = model.connections();
        assertThat(predict())
                .as("the engine still serves")
                .startsWith("HTTP/1.1 200 OK\r\n")
                .endsWith(ENGINE_ANSWER);
        assertThat(model.connections())
                .as("the failed connection was not reused")
                .isEqualTo(before + 1);
    }

    @Test
    void http10AnswerWhoseBodyEndsWithTheClose() throws Exception {
        answerOnce(
                ascii(
                        "HTTP/1.0 200 OK\r\nServer: Werkzeug/3.0.1 Python/3.11.4\r\nContent-Type: application/json\r\n\r\n"),
                ascii(ANSWER.substring(0, 10)),
                ascii(ANSWER.substring(10)),
                null);
        assertAnsweredAndConnectionKept(false);
    }

    @Test
    void chunkedAnswerWithTrailersInPieces() throws Exception {
        answerOnce(
                ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "a;ext=1\r\n" + ANSWER.substring(0, 10) + "\r\n"),
                ascii(Integer.toHexString(ANSWER.length() - 10).toUpperCase() + "\r\n" + ANSWER.substring(10)
                        + "\r\n0\r\nX-Trailer: "),
                ascii("t\r\n\r\n"));
        assertAnsweredAndConnectionKept(true);
    }

    @Test
    void continueAndEarlyHintsBeforeTheAnswer() throws Exception {
        answerOnce(
                ascii("HTTP/1.1 100 Continue\r\n\r\n"),
                ascii("HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"),
                keepAlive(ANSWER).get(0));
        assertAnsweredAndConnectionKept(true);
    }

    @Test
    void noContentHasNoBodyToWaitFor() throws Exception {
        // Read at once (no wait for a body, no timeout); an empty body is not a SeldonMessage.
        answerOnce(ascii("HTTP/1.1 204 No Content\r\n\r\n"));
        assertThat(predict()).startsWith("HTTP/1.1 500 ").contains("node 'model' answered an invalid SeldonMessage");
        int before = model.connections();
        assertThat(predict()).startsWith("HTTP/1.1 200 OK\r\n");
        assertThat(model.connections())
                .as("a 204 leaves the connection reusable")
                .isEqualTo(before);
    }

    @Test
    void bytesAfterTheAnswerStopTheConnectionBeingReused() throws Exception {
        answerOnce(ascii("HTTP/1.1 200 OK\r\nContent-Length: " + ANSWER.length() + "\r\n\r\n" + ANSWER + "\r\n"));
        assertAnsweredAndConnectionKept(false);
    }

    @Test
    void headLargerThan16KiB() throws Exception {
        answerOnce(
                ascii("HTTP/1.1 200 OK\r\nX-Big: " + "x".repeat(9000) + "\r\n"),
                ascii("X-Bigger: " + "y".repeat(9000) + "\r\nContent-Length: 2\r\n\r\n{}"));
        assertRefused("500", "node 'model' answered POST /predict with invalid HTTP: a head larger than 16384 bytes");
    }

    @Test
    void garbageStatusLine() throws Exception {
        answerOnce(ascii("SSH-2.0-OpenSSH_9.6\r\n\r\n"));
        assertRefused(
                "500",
                "node 'model' answered POST /predict with invalid HTTP: an invalid status line "
                        + "'SSH-2.0-OpenSSH_9.6'");
    }

    @Test
    void badChunkSize() throws Exception {
        answerOnce(
                ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"dat\r\n"), ascii("zz\r\nxx\r\n"));
        assertRefused("500", "node 'model' answered POST /predict with invalid HTTP: an invalid chunk size ('z')");
    }

    @Test
    void conflictingContentLengths() throws Exception {
        answerOnce(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}"));
        assertRefused(
                "500", "node 'model' answered POST /predict with invalid HTTP: conflicting content-lengths 2 and 3");
    }

    @Test
    void contentLengthOverTheLimitFailsBeforeTheBody() throws Exception {
        // Only the head comes: the limit is enforced from it, not after a timeout.
        answerOnce(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"));
        assertRefused("500", "node 'model' answered POST /predict with a body larger than the limit");
    }

    @Test
    void closeDelimitedBodyOverTheLimit() throws Exception {
        answerOnce(ascii("HTTP/1.0 200 OK\r\n\r\n" + "x".repeat(3000)), ascii("x".repeat(3000)), null);
        assertRefused("500", "node 'model' answered POST /predict with a body larger than the limit");
    }

    @Test
    void connectionClosedMidBody() throws Exception {
        answerOnce(ascii("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"data\""), null);
        assertRefused("503", "node 'model' closed the connection during POST /predict");
        answerOnce(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"data\""), null);
        assertRefused("503", "node 'model' closed the connection during POST /predict");
    }
}
