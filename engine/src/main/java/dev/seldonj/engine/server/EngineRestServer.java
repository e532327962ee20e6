package dev.seldonj.engine.server;

import dev.seldonj.engine.core.MemoryBudget;
import dev.seldonj.engine.net.NettyTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

/**
 * The external HTTP/1.1 server: a plain Netty pipeline in front of {@link RestHandler}. Requests are
 * decoded by Netty and assembled (gzip and deflate bodies inflated) by {@link RequestAggregator}; answers are written as bytes
 * ({@link HttpAnswer}), so there is no response encoder.
 */
public final class EngineRestServer implements AutoCloseable {

    /** Longest request line (414 beyond). */
    static final int MAX_INITIAL_LINE = 8192;
    /** Largest head, all header lines together (431 beyond). */
    static final int MAX_HEADER_BYTES = 32 * 1024;

    private final Channel channel;

    /**
     * Pipeline per connection: {@link ConnectionGuard} (read timeouts), Netty's decoder, {@link InOrderRequests}
     * (one request at a time, answers in order), {@link RequestAggregator} (bodies, against the limit and the
     * memory budget), the shared handler.
     */
    public EngineRestServer(
            NettyTransport transport, int port, int maxBodyBytes, ServerLimitsView limits, RestHandler handler) {
        ServerBootstrap b = new ServerBootstrap()
                .group(transport.group())
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, transport.allocator())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Chunks as large as the reads: a body arrives in as few pieces as the socket gives it (at most
                        // the 64 KiB a read takes). Compressed bodies are inflated by the aggregator (the engine reads
                        // their meta; components and payload logs see plain bodies), in pieces checked against the
                        // limit:
                        // not Netty's HttpContentDecompressor, which inflates a whole chunk (~1000-fold) before any
                        // check.
                        ConnectionGuard guard =
                                new ConnectionGuard(limits.headerReadTimeoutMs(), limits.idleTimeoutMs());
                        ch.pipeline()
                                .addLast(
                                        guard,
                                        new HttpRequestDecoder(new HttpDecoderConfig()
                                                .setMaxInitialLineLength(MAX_INITIAL_LINE)
                                                .setMaxHeaderSize(MAX_HEADER_BYTES)
                                                .setMaxChunkSize(1024 * 1024)),
                                        new InOrderRequests(guard),
                                        new RequestAggregator(maxBodyBytes, limits.budget()),
                                        handler);
                    }
                });
        ChannelFuture bound = b.bind(port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new UncheckedIOException(
                    "cannot start the REST server on port " + port + ": "
                            + bound.cause().getMessage(),
                    bound.cause() instanceof IOException io ? io : new IOException(bound.cause()));
        }
        this.channel = bound.channel();
    }

    /** The server's time limits and the memory budget its bodies are reserved from. */
    public record ServerLimitsView(long headerReadTimeoutMs, long idleTimeoutMs, MemoryBudget budget) {}

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
