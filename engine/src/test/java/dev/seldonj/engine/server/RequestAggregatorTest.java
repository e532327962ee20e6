package dev.seldonj.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.engine.core.MemoryBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The aggregator between Netty's request decoder and a handler, fed raw bytes: compressed bodies. */
class RequestAggregatorTest {

    private static final int LIMIT = 1024 * 1024;
    private static final byte[] JSON = "{\"data\":{\"ndarray\":[[1,2]]}}".getBytes(StandardCharsets.US_ASCII);
    private static final String TOO_LARGE = "HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n\r\n";

    private final TrackingAllocator alloc = new TrackingAllocator();
    private final List<FullHttpRequest> requests = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    {
        channel.config().setAllocator(alloc);
        channel.pipeline()
                .addLast(
                        new HttpRequestDecoder(new HttpDecoderConfig().setMaxChunkSize(1024 * 1024)),
                        new RequestAggregator(LIMIT, new MemoryBudget(Long.MAX_VALUE)),
                        new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                requests.add((FullHttpRequest) msg);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                failures.add(cause);
                            }
                        });
    }

    @AfterEach
    void everythingReleased() {
        requests.forEach(FullHttpRequest::release);
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();
    }

    /** Sends the bytes in pieces of at most 64 KiB, as reads from a socket. */
    private void send(byte[] raw) {
        for (int at = 0; at < raw.length; at += 64 * 1024) {
            int n = Math.min(64 * 1024, raw.length - at);
            channel.writeInbound(Unpooled.copiedBuffer(raw, at, n));
        }
    }

    private static byte[] post(String headers, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("POST /api/v1.0/predictions HTTP/1.1\r\nHost: x\r\n" + headers + "Content-Length: "
                        + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    private static byte[] chunked(String headers, byte[]... chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(
                ("POST /api/v1.0/predictions HTTP/1.1\r\nHost: x\r\n" + headers + "Transfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        for (byte[] c : chunks) {
            out.writeBytes((Integer.toHexString(c.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(c);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf b; (b = channel.readOutbound()) != null; b.release()) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
        }
        return out.toString();
    }

    private static String body(FullHttpRequest r) {
        return r.content().toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void aCompressedBodyIsPassedOnInflatedWithoutItsEncoding() throws IOException {
        send(post("Content-Encoding: GZIP\r\n", BodyInflaterTest.gzip(JSON)));
        byte[] deflated = BodyInflaterTest.deflate(JSON, true);
        send(chunked(
                "Content-Encoding: x-deflate\r\n",
                Arrays.copyOf(deflated, 5),
                Arrays.copyOfRange(deflated, 5, deflated.length)));

        assertThat(requests).hasSize(2).allSatisfy(r -> {
            assertThat(body(r)).isEqualTo(new String(JSON, StandardCharsets.ISO_8859_1));
            assertThat(r.headers().get("content-length")).isEqualTo(Integer.toString(JSON.length));
            assertThat(r.headers().contains("content-encoding")).isFalse();
            assertThat(r.headers().contains("transfer-encoding")).isFalse();
        });
        assertThat(written()).isEmpty();
    }

    @Test
    void identityAndEncodingsNotDecodedPassAsTheyAre() {
        send(post("Content-Encoding: identity\r\n", JSON));
        send(post("Content-Encoding: br\r\n", "not really br".getBytes(StandardCharsets.US_ASCII)));

        assertThat(requests)
                .extracting(RequestAggregatorTest::body)
                .containsExactly(new String(JSON, StandardCharsets.ISO_8859_1), "not really br");
        assertThat(requests)
                .extracting(r -> r.headers().get("content-encoding"))
                .containsExactly("identity", "br");
    }

    @Test
    void aBombIs413HoldingAtMostTheLimitAndTheConnectionServesOn() throws IOException {
        byte[] bomb = BodyInflaterTest.bomb(120);
        send(post("Content-Encoding: gzip\r\n", bomb));

        assertThat(written()).isEqualTo(TOO_LARGE);
        assertThat(requests).isEmpty();
        assertThat(alloc.heldBytes()).as("the refused body is released").isLessThan(BodyInflater.PIECE_BYTES * 2);
        // The limit and the piece that went over it, not 120 MB; nothing inflated after that piece.
        assertThat(alloc.peakHeldBytes()).isLessThanOrEqualTo(LIMIT + BodyInflater.PIECE_BYTES);
        assertThat(alloc.allocatedBytes()).isLessThanOrEqualTo(LIMIT + BodyInflater.PIECE_BYTES);

        send(post("", JSON));
        assertThat(requests)
                .extracting(RequestAggregatorTest::body)
                .containsExactly(new String(JSON, StandardCharsets.ISO_8859_1));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aBombOnAConnectionTheClientClosesIs413AndClosed() throws IOException {
        send(chunked("Connection: close\r\nContent-Encoding: gzip\r\n", BodyInflaterTest.bomb(20)));

        assertThat(written())
                .isEqualTo(
                        "HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\nconnection: close" + "\r\n\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void compressedBytesCountAgainstTheLimitToo() {
        // A gzip header whose file name never ends: it inflates to nothing, but it is over the limit.
        byte[] header = {0x1f, (byte) 0x8b, 8, 0x08, 0, 0, 0, 0, 0, 3};
        byte[] name = new byte[LIMIT / 2];
        Arrays.fill(name, (byte) 'n');
        send(chunked("Content-Encoding: gzip\r\n", header, name, name));

        assertThat(written()).isEqualTo(TOO_LARGE);
        assertThat(requests).isEmpty();
    }

    @Test
    void aBodyThatDoesNotMatchItsEncodingIsPassedOnAsAFailureAndNothingMoreIsRead() throws IOException {
        byte[] gz = BodyInflaterTest.gzip(JSON);
        gz[gz.length - 5] ^= 1;
        send(post("Content-Encoding: gzip\r\n", gz));
        send(post("", JSON));

        assertThat(failures)
                .singleElement()
                .isInstanceOf(DecompressionException.class)
                .extracting(Throwable::getMessage)
                .asString()
                .startsWith("the gzip trailer's CRC-32 is 0x");
        assertThat(requests).isEmpty();
    }

    @Test
    void aConnectionClosedMidBodyFreesItsInflater() throws IOException {
        byte[] all = post("Content-Encoding: gzip\r\n", BodyInflaterTest.gzip(JSON));
        channel.writeInbound(Unpooled.copiedBuffer(all, 0, all.length - 4));
        assertThat(alloc.heldBytes()).isGreaterThanOrEqualTo(BodyInflater.PIECE_BYTES);

        channel.close();

        assertThat(requests).isEmpty();
        assertThat(alloc.heldBytes()).isZero();
    }
}
