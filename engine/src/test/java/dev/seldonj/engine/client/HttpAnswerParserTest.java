package dev.seldonj.engine.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HttpAnswerParserTest {

    /** What the listener saw, as one comparable string. */
    private static final class Recorder implements HttpAnswerParser.Listener {
        final StringBuilder events = new StringBuilder();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean abandonOnHead;
        HttpAnswerParser parser;

        @Override
        public void head(int status, String contentType, long contentLength) {
            events.append("head ")
                    .append(status)
                    .append(' ')
                    .append(contentType)
                    .append(' ')
                    .append(contentLength);
            if (abandonOnHead) {
                parser.abandon();
            }
        }

        @Override
        public void content(ByteBuf piece) {
            byte[] b = new byte[piece.readableBytes()];
            piece.getBytes(piece.readerIndex(), b);
            body.writeBytes(b);
        }

        @Override
        public void end(boolean reusable) {
            events.append(" | ")
                    .append(body.toString(StandardCharsets.ISO_8859_1))
                    .append(" | end ")
                    .append(reusable ? "reusable" : "closing");
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Feeds the pieces, then (if {@code close}) the end of the input; the events, or the error's message. */
    private static String parse(List<byte[]> pieces, boolean close) {
        Recorder r = new Recorder();
        HttpAnswerParser parser = new HttpAnswerParser(r);
        r.parser = parser;
        parser.start();
        try {
            for (byte[] piece : pieces) {
                ByteBuf in = Unpooled.wrappedBuffer(piece);
                parser.feed(in);
                assertThat(in.isReadable()).as("all of a read is consumed").isFalse();
                assertThat(in.refCnt()).as("the read buffer stays the caller's").isEqualTo(1);
            }
        } catch (HttpAnswerParser.InvalidHttp e) {
            return "invalid: " + e.getMessage();
        }
        if (close && !parser.inputClosed()) {
            r.events.append(" | cut short");
        }
        return r.events.toString();
    }

    private static String parse(String answer) {
        return parse(List.of(ascii(answer)), false);
    }

    private static String parseUntilClose(String answer) {
        return parse(List.of(ascii(answer)), true);
    }

    /** Every way of reading the answer gives the same result: whole, split anywhere in two, byte by byte, random pieces. */
    private static String parseEverySplit(String answer, boolean close) {
        byte[] all = ascii(answer);
        String whole = parse(List.of(all), close);
        for (int i = 0; i <= all.length; i++) {
            assertThat(parse(List.of(Arrays.copyOfRange(all, 0, i), Arrays.copyOfRange(all, i, all.length)), close))
                    .as("split at %d", i)
                    .isEqualTo(whole);
        }
        List<byte[]> bytes = new ArrayList<>();
        for (byte b : all) {
            bytes.add(new byte[] {b});
        }
        assertThat(parse(bytes, close)).as("byte by byte").isEqualTo(whole);
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            List<byte[]> pieces = new ArrayList<>();
            int at = 0;
            while (at < all.length) {
                int n = 1 + random.nextInt(Math.min(all.length - at, 16));
                pieces.add(Arrays.copyOfRange(all, at, at + n));
                at += n;
            }
            assertThat(parse(pieces, close))
                    .as("random pieces, round %d", round)
                    .isEqualTo(whole);
        }
        return whole;
    }

    @Test
    void contentLengthAnswersAsNginxSendsThem() {
        assertThat(parseEverySplit(
                        "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: Mon, 23 Nov 2026 20:11:00 GMT\r\n"
                                + "Content-Type: application/json\r\nContent-Length: 11\r\nConnection: keep-alive\r\n\r\n{\"data\":{}}",
                        false))
                .isEqualTo("head 200 null 11 | {\"data\":{}} | end reusable");
    }

    @Test
    void manyHeadersLongerThanOneCopyStep() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            headers.append("X-Header-").append(i).append(": value ").append(i).append("\r\n");
        }
        assertThat(parseEverySplit(
                        "HTTP/1.1 503 Service Unavailable\r\n" + headers + "Content-Type: text/plain\r\n"
                                + "Content-Length: 4\r\n\r\nbusy",
                        false))
                .isEqualTo("head 503 text/plain 4 | busy | end reusable");
    }

    @Test
    void chunkedWithExtensionsUpperAndLowerCaseSizesAndTrailers() {
        String thirtyOne = "abcdefghijklmnopqrstuvwxyz01234";
        assertThat(parseEverySplit(
                        "HTTP/1.1 500 Internal Server Error\r\ncontent-type:text/plain; charset=utf-8 \r\n"
                                + "TRANSFER-ENCODING: Chunked\r\n\r\nA;name=value\r\n0123456789\r\n1F \t;x\r\n"
                                + thirtyOne + "\r\n1f\r\n"
                                + thirtyOne + "\r\n000\r\nX-Checksum: 1\r\nX-Other: 2\r\n\r\n",
                        false))
                .isEqualTo("head 500 text/plain; charset=utf-8 -1 | 0123456789" + thirtyOne + thirtyOne
                        + " | end reusable");
    }

    @Test
    void informationalAnswersAreSkippedAndAnHttp10BodyRunsUntilTheClose() {
        assertThat(parseEverySplit(
                        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload"
                                + "\r\n\r\nHTTP/1.0 200 OK\r\nServer: Werkzeug/3.0.1 Python/3.11\r\nContent-Type: application/json\r\n\r\n"
                                + "{\"strData\":\"x\"}\n",
                        true))
                .isEqualTo("head 200 null -1 | {\"strData\":\"x\"}\n | end closing");
        assertThat(parseEverySplit("HTTP/1.1 200 OK\r\n\r\nclose-delimited in 1.1 too", true))
                .isEqualTo("head 200 null -1 | close-delimited in 1.1 too | end closing");
    }

    @Test
    void noBodyAfter204And304AndBareLineFeedsAndNoReason() {
        assertThat(parseEverySplit(
                        "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", false))
                .isEqualTo("head 204 null 0 |  | end reusable");
        assertThat(parse("HTTP/1.1 304 Not Modified\r\n\r\n")).isEqualTo("head 304 null 0 |  | end reusable");
        assertThat(parseEverySplit("HTTP/1.1 404\nContent-Type: text/html\nContent-Length: 3\n\nabc", false))
                .isEqualTo("head 404 text/html 3 | abc | end reusable");
        assertThat(parse("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n")).isEqualTo("head 200 null 0 |  | end reusable");
    }

    @Test
    void keepAliveAsNettyDecidesIt() {
        assertThat(parse("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"))
                .endsWith("end closing");
        assertThat(parse("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n"))
                .endsWith("end closing");
        assertThat(parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")).endsWith("end closing");
        assertThat(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok"))
                .endsWith("end reusable");
        assertThat(parse("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"))
                .endsWith("end reusable");
    }

    @Test
    void contentLengthsThatAgreeAreOne() {
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok"))
                .isEqualTo("head 200 null 2 | ok | end reusable");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 2 , 2\r\n\r\nok"))
                .isEqualTo("head 200 null 2 | ok | end reusable");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n"))
                .as("saturated: over any limit")
                .isEqualTo("head 200 null " + Long.MAX_VALUE);
    }

    @Test
    void contentLengthWithChunkedIsChunkedAndNotReused() {
        assertThat(
                        parse(
                                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"))
                .isEqualTo("head 200 null -1 | ok | end closing");
    }

    @Test
    void bytesAfterTheAnswerLeaveItAsItIsButTheConnectionIsNotReused() {
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok\r\n"))
                .isEqualTo("head 200 null 2 | ok | end closing");
        assertThat(parse(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n"))
                .isEqualTo("head 200 null -1 | ok | end closing");
    }

    @Test
    void anAnswerCutShortIsNotEndedByTheClose() {
        assertThat(parseUntilClose("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))
                .isEqualTo("head 200 null 10 | cut short");
        assertThat(parseUntilClose("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"))
                .isEqualTo("head 200 null -1 | cut short");
        assertThat(parseUntilClose("HTTP/1.1 200 OK\r\nContent-Le")).isEqualTo(" | cut short");
        assertThat(parseUntilClose("")).isEqualTo(" | cut short");
    }

    @Test
    void headsUpTo16KiB() {
        String start = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Big: ";
        String end = "\r\n\r\n";
        String fits = start + "x".repeat(HttpAnswerParser.MAX_HEAD_BYTES - start.length() - end.length()) + end;
        assertThat(parse(fits)).isEqualTo("head 200 null 0 |  | end reusable");
        String over = start + "x".repeat(HttpAnswerParser.MAX_HEAD_BYTES - start.length() - end.length() + 1) + end;
        assertThat(parse(over)).isEqualTo("invalid: a head larger than 16384 bytes");
        byte[] bytes = ascii(over);
        assertThat(parse(
                        List.of(Arrays.copyOfRange(bytes, 0, 10_000), Arrays.copyOfRange(bytes, 10_000, bytes.length)),
                        false))
                .isEqualTo("invalid: a head larger than 16384 bytes");
        assertThat(parse("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(4000)))
                .isEqualTo("invalid: a head larger than 16384 bytes");
        assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n" + "X: y\r\n".repeat(4000)))
                .isEqualTo("invalid: trailers larger than 16384 bytes");
    }

    @Test
    void malformedAnswersAreRefusedWithWhatIsWrong() {
        assertThat(parse("garbage\r\n\r\n")).isEqualTo("invalid: an invalid status line 'garbage'");
        assertThat(parse("\r\nHTTP/1.1 200 OK\r\n\r\n")).isEqualTo("invalid: an invalid status line ''");
        assertThat(parse("HTTP/1.1 2000 OK\r\n\r\n")).isEqualTo("invalid: an invalid status line 'HTTP/1.1 2000 OK'");
        assertThat(parse("HTTP/2 200\r\n\r\n")).isEqualTo("invalid: an invalid status line 'HTTP/2 200'");
        assertThat(parse("HTTP/1.1  200 OK\r\n\r\n")).startsWith("invalid: an invalid status line");
        assertThat(parse("HTTP/1.1 20x OK\u0001\r\n\r\n"))
                .isEqualTo("invalid: an invalid status line 'HTTP/1.1 20x OK\\x01'");
        assertThat(parse("HTTP/1.1 600 Odd\r\n\r\n")).isEqualTo("invalid: an invalid status 600");
        assertThat(parse("HTTP/1.1 099 Odd\r\n\r\n")).isEqualTo("invalid: an invalid status 99");
        assertThat(parse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"))
                .isEqualTo("invalid: an unrequested 101 Switching Protocols");

        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n"))
                .isEqualTo("invalid: an invalid content-length '-5'");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\n"))
                .isEqualTo("invalid: an invalid content-length ''");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 5x\r\n\r\n"))
                .isEqualTo("invalid: an invalid content-length '5x'");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"))
                .isEqualTo("invalid: conflicting content-lengths 5 and 6");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n"))
                .isEqualTo("invalid: conflicting content-lengths 5 and 6");

        assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n"))
                .isEqualTo("invalid: an unsupported transfer-encoding (only a single chunked is read)");
        assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"))
                .startsWith("invalid: an unsupported");
        assertThat(parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .startsWith("invalid: an unsupported");
        assertThat(parse("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"))
                .isEqualTo("invalid: a transfer-encoding in an HTTP/1.0 answer");

        assertThat(parse("HTTP/1.1 200 OK\r\nX-Folded: a\r\n b\r\n\r\n"))
                .isEqualTo("invalid: an invalid header line ' b'");
        assertThat(parse("HTTP/1.1 200 OK\r\nContent-Length : 0\r\n\r\n"))
                .isEqualTo("invalid: an invalid header line 'Content-Length : 0'");
        assertThat(parse("HTTP/1.1 200 OK\r\nno colon\r\n\r\n"))
                .isEqualTo("invalid: an invalid header line 'no colon'");
        assertThat(parse("HTTP/1.1 200 OK\r\n: no name\r\n\r\n"))
                .isEqualTo("invalid: an invalid header line ': no name'");
        assertThat(parse("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"))
                .isEqualTo("invalid: a CR that does not end a line in the head");
    }

    @Test
    void malformedChunksAreRefused() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertThat(parse(head + "zz\r\n")).isEqualTo("invalid: an invalid chunk size ('z')");
        assertThat(parse(head + "-1\r\n")).isEqualTo("invalid: an invalid chunk size ('-')");
        assertThat(parse(head + "0x5\r\n")).isEqualTo("invalid: an invalid chunk size ('x')");
        assertThat(parse(head + "5 5\r\n")).isEqualTo("invalid: an invalid chunk size ('5')");
        assertThat(parse(head + "\r\n")).isEqualTo("invalid: a chunk without a size");
        assertThat(parse(head + ";x\r\n")).isEqualTo("invalid: an invalid chunk size (';')");
        assertThat(parse(head + "5\rx")).isEqualTo("invalid: a CR that does not end a chunk size line");
        assertThat(parse(head + "fffffffffffffffff\r\n")).isEqualTo("invalid: a chunk size too large");
        assertThat(parse(head + "1;" + "x".repeat(5000)))
                .isEqualTo("invalid: a chunk size line longer than 4096 bytes");
        assertThat(parse(head + "3\r\nabcd\r\n"))
                .isEqualTo("invalid: a chunk longer than its size ('d' after its data)");
        assertThat(parse(head + "3\r\nabc\r\r\n"))
                .isEqualTo("invalid: a chunk longer than its size (byte 0x0d after its data)");
        assertThat(parse(head + "0\r\nX: a\rb\r\n\r\n")).isEqualTo("invalid: a CR that does not end a trailer line");
    }

    @Test
    void anAbandonedAnswerIsSkipped() {
        Recorder r = new Recorder();
        HttpAnswerParser parser = new HttpAnswerParser(r);
        r.parser = parser;
        r.abandonOnHead = true;
        parser.start();
        ByteBuf in = Unpooled.wrappedBuffer(ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
        try {
            parser.feed(in);
        } catch (HttpAnswerParser.InvalidHttp e) {
            throw new AssertionError(e);
        }
        assertThat(in.isReadable()).isFalse();
        assertThat(r.events.toString()).isEqualTo("head 200 null 2");
        assertThat(parser.inputClosed()).isFalse();
    }

    @Test
    void theParserIsReusedForTheNextAnswer() throws Exception {
        Recorder r = new Recorder();
        HttpAnswerParser parser = new HttpAnswerParser(r);
        for (int i = 0; i < 3; i++) {
            parser.start();
            parser.feed(Unpooled.wrappedBuffer(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n" + i)));
        }
        assertThat(r.events.toString())
                .isEqualTo("head 200 null 1 | 0 | end reusablehead 200 null 1 | 01 | end reusable"
                        + "head 200 null 1 | 012 | end reusable");
        assertThatThrownBy(() -> {
                    parser.start();
                    parser.feed(Unpooled.wrappedBuffer(ascii("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")));
                })
                .hasMessage("an invalid content-length 'x'");
    }
}
