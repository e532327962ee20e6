package dev.seldonj.engine.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * What reading one component answer costs: {@link HttpAnswerParser} against the Netty decoder it
 * replaced (configured as the pool had it), both behind the same embedded pipeline, on nginx's answer
 * of the CPU benchmark. Not a test: run by hand, see docs/engine.md "Benchmark".
 *
 * <pre>java -cp engine/target/test-classes:engine/target/seldonj-engine-0.1.0-SNAPSHOT.jar dev.seldonj.engine.client.HttpAnswerParserCost</pre>
 */
public final class HttpAnswerParserCost {

    private static final String ANSWER = "HTTP/1.1 200 OK\r\nServer: nginx/1.24.0 (Ubuntu)\r\n"
            + "Date: Tue, 02 Dec 2026 22:22:00 GMT\r\nContent-Type: application/json\r\nContent-Length: 42\r\n"
            + "Connection: keep-alive\r\n\r\n{\"data\":{\"names\":[\"p\"],\"ndarray\":[[0.9]]}}";
    private static final int N = 1_000_000;
    private static long sink;

    public static void main(String[] args) {
        byte[] bytes = ANSWER.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf answer =
                PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
        EmbeddedChannel own = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            private final HttpAnswerParser parser = new HttpAnswerParser(new HttpAnswerParser.Listener() {
                @Override
                public void head(int status, String contentType, long contentLength) {
                    sink += status + contentLength;
                }

                @Override
                public void content(ByteBuf piece) {
                    sink += piece.readableBytes();
                }

                @Override
                public void end(boolean reusable) {
                    sink += reusable ? 1 : 0;
                }
            });

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                try {
                    parser.start();
                    parser.feed((ByteBuf) msg);
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }
        });
        EmbeddedChannel netty = new EmbeddedChannel(
                new HttpResponseDecoder(new HttpDecoderConfig()
                        .setMaxInitialLineLength(4096)
                        .setMaxHeaderSize(16 * 1024)
                        .setMaxChunkSize(1024 * 1024)
                        .setHeadersFactory(
                                DefaultHttpHeadersFactory.headersFactory().withValidation(false))
                        .setTrailersFactory(
                                DefaultHttpHeadersFactory.trailersFactory().withValidation(false))),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        if (msg instanceof HttpResponse r) {
                            sink += r.status().code()
                                    + (HttpUtil.isKeepAlive(r) ? 1 : 0)
                                    + HttpUtil.getContentLength(r, -1L);
                            sink += r.headers().contains(HttpHeaderNames.CONTENT_TYPE) ? 1 : 0;
                        }
                        if (msg instanceof HttpContent c) {
                            sink += c.content().readableBytes();
                        }
                        ReferenceCountUtil.release(msg);
                    }
                });
        for (int round = 0; round < 5; round++) {
            System.out.printf(
                    "round %d: HttpAnswerParser %.0f ns/answer, Netty HttpResponseDecoder %.0f ns/answer%n",
                    round, perAnswer(own, answer), perAnswer(netty, answer));
        }
        System.out.println("(checksum " + sink + ")");
    }

    private static double perAnswer(EmbeddedChannel channel, ByteBuf answer) {
        long start = System.nanoTime();
        for (int i = 0; i < N; i++) {
            channel.writeInbound(answer.retainedDuplicate());
        }
        return (System.nanoTime() - start) / (double) N;
    }
}
