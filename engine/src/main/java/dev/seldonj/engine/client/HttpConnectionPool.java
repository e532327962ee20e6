package dev.seldonj.engine.client;

import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.server.NettyTransport;
import dev.seldonj.engine.server.OwnHeaders;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.TooLongFrameException;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive HTTP/1.1 connections to one component, pooled per event loop: a call made on a loop
 * uses (and returns) a connection owned by that loop, so no locks and no thread hops. A connection
 * carries one exchange at a time; a timed-out or failed connection is closed, never reused. Nothing
 * is retried.
 */
public final class HttpConnectionPool {

  /** A component's HTTP answer. */
  public record HttpResult(int status, byte[] body, String contentType) {}

  private static final int MAX_IDLE_PER_LOOP = 512;

  private final String node;
  private final String host;
  private final int port;
  private final Bootstrap bootstrap;
  private final ConcurrentHashMap<EventLoop, ArrayDeque<Channel>> idle = new ConcurrentHashMap<>();

  public HttpConnectionPool(String node, String host, int port, NettyTransport transport, int maxBodyBytes,
      int connectTimeoutMs) {
    this.node = node;
    this.host = host;
    this.port = port;
    this.bootstrap = new Bootstrap()
        .group(transport.group())
        .channel(transport.clientChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMs)
        .remoteAddress(host, port)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(4096).setMaxHeaderSize(16 * 1024).setMaxChunkSize(16 * 1024)
                .setHeadersFactory(OwnHeaders.FACTORY).setTrailersFactory(OwnHeaders.TRAILERS), false, false), new HttpObjectAggregator(maxBodyBytes),
                new ExchangeHandler());
          }
        });
  }

  public String address() {
    return host + ":" + port;
  }

  /** Sends one request on a pooled connection of {@code loop}; the request is released by Netty. */
  public CompletableFuture<HttpResult> exchange(EventLoop loop, FullHttpRequest request, long timeoutMs) {
    CompletableFuture<HttpResult> result = new CompletableFuture<>();
    if (loop.inEventLoop()) {
      start(loop, request, timeoutMs, result);
    } else {
      loop.execute(() -> start(loop, request, timeoutMs, result));
    }
    return result;
  }

  private void start(EventLoop loop, FullHttpRequest request, long timeoutMs, CompletableFuture<HttpResult> result) {
    ArrayDeque<Channel> queue = idle.computeIfAbsent(loop, l -> new ArrayDeque<>());
    Channel ch;
    while ((ch = queue.pollLast()) != null) {
      if (ch.isActive()) {
        send(ch, queue, request, timeoutMs, result);
        return;
      }
    }
    bootstrap.clone(loop).connect().addListener((ChannelFuture f) -> {
      if (f.isSuccess()) {
        send(f.channel(), queue, request, timeoutMs, result);
      } else {
        request.release();
        result.completeExceptionally(unavailable(f.cause()));
      }
    });
  }

  private void send(Channel ch, ArrayDeque<Channel> queue, FullHttpRequest request, long timeoutMs,
      CompletableFuture<HttpResult> result) {
    ExchangeHandler handler = ch.pipeline().get(ExchangeHandler.class);
    String what = request.method() + " " + request.uri();
    handler.begin(new Exchange(result, queue, what), ch.eventLoop().schedule(() -> handler.timeout(ch, timeoutMs, what),
        timeoutMs, TimeUnit.MILLISECONDS));
    ch.writeAndFlush(request).addListener(f -> {
      if (!f.isSuccess()) {
        handler.fail(ch, unavailable(f.cause()));
      }
    });
  }

  private EngineException unavailable(Throwable cause) {
    String why = cause instanceof ConnectException ? "connection refused" : String.valueOf(cause.getMessage());
    return new EngineException(EngineException.Kind.UNAVAILABLE, "node '" + node + "' is unavailable at " + address()
        + ": " + why);
  }

  private record Exchange(CompletableFuture<HttpResult> result, ArrayDeque<Channel> pool, String what) {}

  /** Completes the exchange in flight on its connection. */
  private final class ExchangeHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
    private Exchange current;
    private ScheduledFuture<?> timer;

    void begin(Exchange exchange, ScheduledFuture<?> timer) {
      this.current = exchange;
      this.timer = timer;
    }

    private Exchange take() {
      Exchange e = current;
      current = null;
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      return e;
    }

    void timeout(Channel ch, long timeoutMs, String what) {
      Exchange e = take();
      if (e != null) {
        ch.close();
        e.result().completeExceptionally(new EngineException(EngineException.Kind.TIMEOUT, "node '" + node
            + "' did not answer " + what + " within " + timeoutMs + " ms"));
      }
    }

    void fail(Channel ch, EngineException error) {
      Exchange e = take();
      ch.close();
      if (e != null) {
        e.result().completeExceptionally(error);
      }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
      Exchange e = take();
      if (e == null) {
        ctx.close();
        return;
      }
      byte[] body = ByteBufUtil.getBytes(response.content());
      String contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
      if (HttpUtil.isKeepAlive(response) && e.pool().size() < MAX_IDLE_PER_LOOP) {
        e.pool().addLast(ctx.channel());
      } else {
        ctx.close();
      }
      e.result().complete(new HttpResult(response.status().code(), body, contentType));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Exchange e = take();
      if (e != null) {
        e.result().completeExceptionally(new EngineException(EngineException.Kind.UNAVAILABLE, "node '" + node
            + "' closed the connection during " + e.what()));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof TooLongFrameException) {
        Exchange e = take();
        ctx.close();
        if (e != null) {
          e.result().completeExceptionally(new EngineException(EngineException.Kind.INVALID_RESPONSE, "node '" + node
              + "' answered " + e.what() + " with a body larger than the limit"));
        }
        return;
      }
      fail(ctx.channel(), unavailable(cause));
    }
  }
}
