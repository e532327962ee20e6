package dev.seldonj.engine.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event loops every socket of the engine runs on (external REST and gRPC servers, component
 * clients): epoll when the platform has it, NIO otherwise. Sharing them keeps a request and its
 * component calls on one thread.
 */
public final class NettyTransport implements AutoCloseable {

    /**
     * The HTTP/2 flow-control window of every gRPC connection (grpc-java's default size), fixed: its
     * automatic tuning sends a PING on reads to probe the bandwidth-delay product, extra frames per
     * call on connections that are loopback or in-pod.
     */
    public static final int GRPC_FLOW_CONTROL_WINDOW = 1024 * 1024;

    private final boolean epoll = Epoll.isAvailable();
    private final EventLoopGroup group;

    public NettyTransport(int threads) {
        this(threads, "engine-io");
    }

    /** Event loops of their own, e.g. for work that must not share the request loops. */
    public NettyTransport(int threads, String threadName) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadName, true), factory);
    }

    public EventLoopGroup group() {
        return group;
    }

    /**
     * The buffers of the engine's own sockets. Pooled, not Netty 4.2's default adaptive allocator: that one
     * falls back to fresh, zeroed direct buffers for the large reads a 1 MiB body brings, which cost a
     * third of the engine's CPU per such request (docs/engine.md, "Performance").
     */
    public ByteBufAllocator allocator() {
        return PooledByteBufAllocator.DEFAULT;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> clientChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
