package dev.seldonj.wrapper;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Seldon's internal REST API on Netty. The event loop only reads and writes: heads and bodies are checked against
 * {@link WrapperLimits} there, and each complete request is handed to the worker pool ({@link RestRoutes} runs the
 * component), at most {@code workerThreads + maxQueuedRequests} at once. Each connection is a {@link RestConnection}.
 */
final class RestServer implements AutoCloseable {

  private final EventLoopGroup acceptor;
  private final EventLoopGroup io;
  private final Channel listening;

  RestServer(int port, RestRoutes routes, Executor workers, int workerThreads, WrapperLimits limits)
      throws IOException {
    acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("seldonj-rest-accept", true),
        NioIoHandler.newFactory());
    io = new MultiThreadIoEventLoopGroup(Math.min(4, Runtime.getRuntime().availableProcessors()),
        new DefaultThreadFactory("seldonj-rest-io", true), NioIoHandler.newFactory());
    Semaphore admission = new Semaphore(workerThreads + limits.maxQueuedRequests());
    BodyBudget budget = new BodyBudget(limits.maxInflightBodyBytes());
    HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
        .setMaxInitialLineLength(limits.maxInitialLineBytes())
        .setMaxHeaderSize(limits.maxHeaderBytes())
        .setMaxChunkSize(64 * 1024);
    ServerBootstrap bootstrap = new ServerBootstrap().group(acceptor, io)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            RestConnection connection = new RestConnection(routes, workers, admission, budget, limits);
            ch.pipeline()
                .addLast("reads", connection.rawReads())
                .addLast("decoder", new HttpRequestDecoder(decoderConfig))
                .addLast("encoder", new HttpResponseEncoder())
                .addLast("connection", connection);
          }
        });
    Channel bound = null;
    try {
      bound = bootstrap.bind(new InetSocketAddress(port)).sync().channel();
    } catch (Exception e) {
      acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("cannot listen on port " + port + ": " + e.getMessage(), e);
    }
    listening = bound;
  }

  int port() {
    return ((InetSocketAddress) listening.localAddress()).getPort();
  }

  @Override
  public void close() {
    listening.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    var a = acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    var b = io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    a.awaitUninterruptibly(5, TimeUnit.SECONDS);
    b.awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
