package dev.seldonj.wrapper;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 server on Netty for the wrapper's REST API and its metrics port. The event loop only reads and writes:
 * heads and bodies are checked against {@link WrapperLimits} there, and each complete request is handed to the
 * worker pool (the {@link RestHandler} runs there), at most {@code workerThreads + maxQueuedRequests} at once. Each
 * connection is a {@link RestConnection}.
 */
final class RestServer implements AutoCloseable {

    private final Channel listening;

    RestServer(
            NettyLoops loops,
            int port,
            RestHandler handler,
            Executor workers,
            int workerThreads,
            BodyBudget budget,
            WrapperLimits limits)
            throws IOException {
        Semaphore admission = new Semaphore(workerThreads + limits.maxQueuedRequests());
        HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.acceptor, loops.io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RestConnection connection = new RestConnection(handler, workers, admission, budget, limits);
                        ch.pipeline()
                                .addLast("reads", connection.rawReads())
                                .addLast("decoder", new HttpRequestDecoder(decoderConfig))
                                .addLast("encoder", new HttpResponseEncoder())
                                .addLast("connection", connection);
                    }
                });
        try {
            listening = bootstrap.bind(new InetSocketAddress(port)).sync().channel();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("cannot listen on port " + port + ": " + e.getMessage(), e);
        }
    }

    int port() {
        return ((InetSocketAddress) listening.localAddress()).getPort();
    }

    /** Stops listening; open connections end when the shared {@link NettyLoops} stop. */
    @Override
    public void close() {
        listening.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
