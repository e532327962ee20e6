package dev.seldonj.wrapper;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/** The event loops the wrapper's HTTP servers (REST and metrics) share: one accepting, a few reading and writing. */
final class NettyLoops implements AutoCloseable {

    final EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("seldonj-http-accept", true), NioIoHandler.newFactory());
    final EventLoopGroup io = new MultiThreadIoEventLoopGroup(
            Math.min(4, Runtime.getRuntime().availableProcessors()),
            new DefaultThreadFactory("seldonj-http-io", true),
            NioIoHandler.newFactory());

    @Override
    public void close() {
        var a = acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        var b = io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        a.awaitUninterruptibly(5, TimeUnit.SECONDS);
        b.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
