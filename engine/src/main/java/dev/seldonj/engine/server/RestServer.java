package dev.seldonj.engine.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.net.InetSocketAddress;

/**
 * The external HTTP/1.1 server: a plain Netty pipeline in front of {@link RestHandler}. Requests are
 * decoded by Netty and assembled (gzip and deflate bodies inflated) by {@link RequestAggregator}; answers are written as bytes
 * ({@link HttpAnswer}), so there is no response encoder.
 */
public final class RestServer implements AutoCloseable {

  private final Channel channel;

  public RestServer(NettyTransport transport, int port, int maxBodyBytes, RestHandler handler) {
    ServerBootstrap b = new ServerBootstrap()
        .group(transport.group())
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            // Chunks as large as the reads: a body arrives in as few pieces as the socket gives it (at most
            // the 64 KiB a read takes). Compressed bodies are inflated by the aggregator (the engine reads
            // their meta; components and payload logs see plain bodies), in pieces checked against the limit:
            // not Netty's HttpContentDecompressor, which inflates a whole chunk (~1000-fold) before any check.
            ch.pipeline().addLast(new HttpRequestDecoder(new HttpDecoderConfig().setMaxInitialLineLength(8192)
                .setMaxHeaderSize(32 * 1024).setMaxChunkSize(1024 * 1024)), new RequestAggregator(maxBodyBytes),
                handler);
          }
        });
    io.netty.channel.ChannelFuture bound = b.bind(port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new java.io.UncheckedIOException("cannot start the REST server on port " + port + ": "
          + bound.cause().getMessage(), bound.cause() instanceof java.io.IOException io ? io
          : new java.io.IOException(bound.cause()));
    }
    this.channel = bound.channel();
  }

  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
  }
}
