package dev.seldonj.engine.client;

import dev.seldonj.engine.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.util.concurrent.CompletableFuture;

/** Readiness as Seldon's executor checks it: can a TCP connection to the node be opened now. */
public final class TcpProbe {

    private final Bootstrap bootstrap;

    public TcpProbe(String host, int port, NettyTransport transport, int connectTimeoutMs) {
        this.bootstrap = new Bootstrap()
                .group(transport.group())
                .channel(transport.clientChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
                .remoteAddress(host, port)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // nothing to read: the probe closes as soon as it connects
                    }
                });
    }

    public CompletableFuture<Boolean> probe() {
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        bootstrap.connect().addListener((ChannelFuture f) -> {
            result.complete(f.isSuccess());
            if (f.isSuccess()) {
                f.channel().close();
            }
        });
        return result;
    }
}
