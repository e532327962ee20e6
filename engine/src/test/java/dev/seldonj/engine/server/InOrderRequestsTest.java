package dev.seldonj.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.engine.core.MemoryBudget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server's pipeline up to the handler, fed raw bytes: request order, malformed heads, the memory budget. */
class InOrderRequestsTest {

    private final MemoryBudget budget = new MemoryBudget(100);
    private final List<FullHttpRequest> requests = new ArrayList<>();
    private final EmbeddedChannel channel = new EmbeddedChannel();

    {
        ConnectionGuard guard = new ConnectionGuard(60_000, 60_000);
        channel.pipeline()
                .addLast(
                        guard,
                        new HttpRequestDecoder(new HttpDecoderConfig()
                                .setMaxInitialLineLength(EngineRestServer.MAX_INITIAL_LINE)
                                .setMaxHeaderSize(EngineRestServer.MAX_HEADER_BYTES)),
                        new InOrderRequests(guard),
                        new RequestAggregator(1024, budget),
                        new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                requests.add((FullHttpRequest) msg);
                            }
                        });
    }

    @AfterEach
    void release() {
        requests.forEach(FullHttpRequest::release);
        channel.finishAndReleaseAll();
    }

    private void send(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            out.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return out.toString();
    }

    private static String post(String puid, String body) {
        return "POST /p HTTP/1.1\r\nSeldon-Puid: " + puid + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }

    @Test
    void aPipelinedRequestWaitsUntilTheOneBeforeIsAnswered() {
        send(post("a", "{}") + post("b", "{}") + "GET /live HTTP/1.1\r\n\r\n");
        assertThat(requests).hasSize(1);
        assertThat(channel.config().isAutoRead()).isFalse();
        InOrderRequests.answered(channel);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).headers().get("Seldon-Puid")).isEqualTo("b");
        InOrderRequests.answered(channel);
        assertThat(requests).hasSize(3);
        assertThat(requests.get(2).uri()).isEqualTo("/live");
        InOrderRequests.answered(channel);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(budget.used()).isZero();
    }

    @Test
    void aHeadThatCannotBeParsedIsAnsweredOnceAndTheConnectionCloses() {
        send("POST /p HTTP/1.1\r\nNoColonHere\r\nContent-Length: 2\r\n\r\n{}");
        assertThat(requests).isEmpty();
        String out = written();
        assertThat(out)
                .startsWith("HTTP/1.1 400 Bad Request\r\n")
                .contains("connection: close\r\n")
                .endsWith("{\"status\":{\"code\":400,\"info\":\"malformed HTTP request: a header line has no colon\","
                        + "\"reason\":\"BAD_HTTP_REQUEST\",\"status\":\"FAILURE\"}}");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void headersTooLargeAre431AndALongRequestLine414() {
        send("POST /p HTTP/1.1\r\nX: " + "a".repeat(40_000) + "\r\n\r\n");
        assertThat(written()).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n");
        EmbeddedChannel other = new InOrderRequestsTest().channel;
        other.writeInbound(
                Unpooled.copiedBuffer("GET /" + "a".repeat(9000) + " HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf answer = other.readOutbound();
        assertThat(answer.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 414 Request-URI Too Long\r\n");
        answer.release();
        other.finishAndReleaseAll();
    }

    @Test
    void aBodyBeyondTheMemoryBudgetIs503WithRetryAfterAndIsSkipped() {
        String big = "x".repeat(200);
        send(post("a", big) + post("b", "{}"));
        String out = written();
        assertThat(out)
                .startsWith("HTTP/1.1 503 Service Unavailable\r\n")
                .contains("retry-after: 1\r\n")
                .contains("ENGINE_OVERLOADED");
        assertThat(requests).hasSize(1); // the next request, read after the skipped body
        assertThat(requests.get(0).headers().get("Seldon-Puid")).isEqualTo("b");
        assertThat(budget.used()).isEqualTo(2);
        InOrderRequests.answered(channel);
        assertThat(budget.used()).isZero();
    }
}
