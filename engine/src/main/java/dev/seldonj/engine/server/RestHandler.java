package dev.seldonj.engine.server;

import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.metrics.EngineMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The external REST API (Seldon's executor paths): routes a request, runs it, writes the answer.
 * Stateless and shared by every connection; all work is non-blocking on the connection's loop.
 */
@ChannelHandler.Sharable
public final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final AsciiString PUID = AsciiString.cached(InboundHeaders.PUID);
  private static final AsciiString JSON = HttpHeaderValues.APPLICATION_JSON;
  private static final AsciiString NOSNIFF = AsciiString.cached("nosniff");
  private static final AsciiString X_CONTENT_TYPE_OPTIONS = AsciiString.cached("X-Content-Type-Options");

  private final Predictions predictions;
  private final EngineMetrics metrics;
  private final String prometheusPath;
  private final ReadinessCheck readiness;
  private final GraphMetadata metadata;
  private final StaticDocs docs;
  private final List<RestRoutes> protocolRoutes;
  private final ResponseHeaders responseHeaders;

  /**
   * @param protocolRoutes the routes of the graph's protocol beyond Seldon's (v2, tensorflow, per-model status)
   * @param responseHeaders cross-origin and CloudEvents headers added to every answer that asks for them
   */
  public RestHandler(Predictions predictions, EngineMetrics metrics, String prometheusPath, ReadinessCheck readiness,
      GraphMetadata metadata, StaticDocs docs, List<RestRoutes> protocolRoutes, ResponseHeaders responseHeaders) {
    super(true);
    this.predictions = predictions;
    this.metrics = metrics;
    this.prometheusPath = prometheusPath;
    this.readiness = readiness;
    this.metadata = metadata;
    this.docs = docs;
    this.protocolRoutes = List.copyOf(protocolRoutes);
    this.responseHeaders = responseHeaders;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
    long start = System.nanoTime();
    try {
      dispatch(ctx, req, start);
    } catch (RuntimeException e) {
      // A bug must cost one request, never the connection or the process.
      error(ctx, req, EngineException.of(e), "unknown", start);
    }
  }

  private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req, long start) {
    if (!req.decoderResult().isSuccess()) {
      error(ctx, req, new EngineException(EngineException.Kind.BAD_REQUEST, "malformed HTTP request: "
          + req.decoderResult().cause().getMessage()), "unknown", start);
      return;
    }
    String uri = req.uri();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    HttpMethod method = req.method();
    if (method == HttpMethod.OPTIONS) {
      write(ctx, req, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, null, null);
      return;
    }
    switch (path) {
      case "/api/v1.0/predictions", "/api/v0.1/predictions" -> {
        if (requirePost(ctx, req, method, "predictions", start)) {
          predict(ctx, req, start);
        }
      }
      case "/api/v1.0/feedback", "/api/v0.1/feedback" -> {
        if (requirePost(ctx, req, method, "feedback", start)) {
          feedback(ctx, req, start);
        }
      }
      case "/api/v1.0/metadata", "/api/v0.1/metadata" -> reply(ctx, req, "metadata", start, metadata.json(ctx.channel().eventLoop())
          .thenApply(b -> Unpooled.wrappedBuffer(b)), null);
      case "/live" -> write(ctx, req, HttpResponseStatus.OK, text("live"), HttpHeaderValues.TEXT_PLAIN, null);
      case "/ready" -> readiness.check().whenComplete((notReady, e) -> {
        if (notReady == null || notReady.isEmpty()) {
          write(ctx, req, HttpResponseStatus.OK, text("ready"), HttpHeaderValues.TEXT_PLAIN, null);
        } else {
          write(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.wrappedBuffer(SeldonStatus.failure(503,
              "not ready: " + String.join("; ", notReady), "NOT_READY")), JSON, null);
        }
      });
      default -> route(ctx, req, path, start);
    }
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path, long start) {
    if (path.equals(prometheusPath)) {
      write(ctx, req, HttpResponseStatus.OK, Unpooled.wrappedBuffer(metrics.scrape()),
          AsciiString.of(metrics.contentType()), null);
    } else if (docs.serves(path)) {
      StaticDocs.Resource r = docs.get(path);
      if (r == null) {
        notFound(ctx, req, path, start);
      } else if (r.redirect() != null) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.FOUND,
            Unpooled.EMPTY_BUFFER, OwnHeaders.FACTORY, OwnHeaders.TRAILERS);
        res.headers().set(HttpHeaderNames.LOCATION, r.redirect()).setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        send(ctx, req, res);
      } else {
        write(ctx, req, HttpResponseStatus.OK, Unpooled.wrappedBuffer(r.body()), AsciiString.of(r.contentType()), null);
      }
    } else {
      for (RestRoutes r : protocolRoutes) {
        if (r.serves(path)) {
          r.handle(ctx, req, path, start, this);
          return;
        }
      }
      notFound(ctx, req, path, start);
    }
  }

  private void notFound(ChannelHandlerContext ctx, FullHttpRequest req, String path, long start) {
    error(ctx, req, new EngineException(EngineException.Kind.NOT_FOUND, "no such endpoint: " + req.method() + " "
        + path), "unknown", start);
  }

  private boolean requirePost(ChannelHandlerContext ctx, FullHttpRequest req, HttpMethod method, String service,
      long start) {
    if (method == HttpMethod.POST) {
      return true;
    }
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.METHOD_NOT_ALLOWED,
        Unpooled.wrappedBuffer(SeldonStatus.failure(405, method + " is not allowed here, use POST", "METHOD_NOT_ALLOWED")),
        OwnHeaders.FACTORY, OwnHeaders.TRAILERS);
    res.headers().set(HttpHeaderNames.ALLOW, "POST, OPTIONS").set(HttpHeaderNames.CONTENT_TYPE, JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
    metrics.server(service, method.name(), 405, start);
    send(ctx, req, res);
    return false;
  }

  private void predict(ChannelHandlerContext ctx, FullHttpRequest req, long start) {
    String puid = req.headers().get(PUID);
    CompletableFuture<ByteBuf> body;
    String[] answerPuid = {puid};
    try {
      Message request = Message.request(body(req));
      body = predictions.predict(request, puid, InboundHeaders.propagated(req.headers()), ctx.channel().eventLoop())
          .thenApply(o -> {
            answerPuid[0] = o.puid();
            return o.message().jsonWithMeta(o.meta());
          });
    } catch (EngineException e) {
      body = CompletableFuture.failedFuture(e);
    }
    reply(ctx, req, "predictions", start, body, answerPuid);
  }

  private void feedback(ChannelHandlerContext ctx, FullHttpRequest req, long start) {
    String puid = req.headers().get(PUID);
    CompletableFuture<ByteBuf> body;
    String[] answerPuid = {puid};
    try {
      FeedbackMessage fb = FeedbackMessage.request(body(req));
      body = predictions.feedback(fb, puid, InboundHeaders.propagated(req.headers()), ctx.channel().eventLoop())
          .thenApply(o -> {
            answerPuid[0] = o.puid();
            return o.message().jsonWithMeta(o.meta());
          });
    } catch (EngineException e) {
      body = CompletableFuture.failedFuture(e);
    }
    reply(ctx, req, "feedback", start, body, answerPuid);
  }

  /** The JSON body: raw, or the {@code json} field of a form as older clients send it. */
  static byte[] body(FullHttpRequest req) {
    String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
        && !startsWithJson(req.content())) {
      QueryStringDecoder form = new QueryStringDecoder(req.content().toString(StandardCharsets.UTF_8), false);
      List<String> json = form.parameters().get("json");
      if (json == null || json.isEmpty()) {
        throw EngineException.badRequest("the form has no 'json' field");
      }
      return json.get(0).getBytes(StandardCharsets.UTF_8);
    }
    if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10)) {
      throw EngineException.badRequest("multipart bodies are not supported: send JSON or a form field json=");
    }
    if (req.content().readableBytes() == 0) {
      QueryStringDecoder query = new QueryStringDecoder(req.uri());
      List<String> json = query.parameters().get("json");
      if (json != null && !json.isEmpty()) {
        return json.get(0).getBytes(StandardCharsets.UTF_8);
      }
      throw EngineException.badRequest("empty request body: expected a SeldonMessage JSON");
    }
    return ByteBufUtil.getBytes(req.content());
  }

  /** curl -d sends JSON labelled as a form; like Seldon's wrapper, a body that is JSON is read as JSON. */
  private static boolean startsWithJson(ByteBuf content) {
    for (int i = content.readerIndex(); i < content.writerIndex(); i++) {
      byte b = content.getByte(i);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        return b == '{';
      }
    }
    return false;
  }

  /** Writes the answer of an asynchronous request, or its error. */
  void reply(ChannelHandlerContext ctx, FullHttpRequest req, String service, long start,
      CompletableFuture<ByteBuf> body, String[] puid) {
    req.retain();
    body.whenComplete((content, error) -> {
      try {
        String p = puid == null ? null : puid[0];
        if (error != null) {
          error(ctx, req, EngineException.of(error), service, start, p);
        } else {
          metrics.server(service, req.method().name(), 200, start);
          write(ctx, req, HttpResponseStatus.OK, content, JSON, p);
        }
      } finally {
        req.release();
      }
    });
  }

  void error(ChannelHandlerContext ctx, FullHttpRequest req, EngineException e, String service, long start) {
    error(ctx, req, e, service, start, null);
  }

  private void error(ChannelHandlerContext ctx, FullHttpRequest req, EngineException e, String service, long start,
      String puid) {
    metrics.server(service, req.method().name(), e.httpStatus(), start);
    HttpResponseStatus status = HttpResponseStatus.valueOf(e.httpStatus());
    if (e.passthroughBody() != null) {
      AsciiString type = e.passthroughContentType() == null ? null : AsciiString.of(e.passthroughContentType());
      write(ctx, req, status, Unpooled.wrappedBuffer(e.passthroughBody()), type, puid);
    } else {
      write(ctx, req, status, Unpooled.wrappedBuffer(SeldonStatus.failure(e)), JSON, puid);
    }
  }

  void write(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, ByteBuf content,
      CharSequence contentType, String puid) {
    FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content, OwnHeaders.FACTORY,
        OwnHeaders.TRAILERS);
    var h = res.headers();
    if (contentType != null) {
      h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
    }
    h.setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    h.set(X_CONTENT_TYPE_OPTIONS, NOSNIFF);
    if (puid != null) {
      h.set(PUID, puid);
    }
    responseHeaders.add(req, puid, h);
    send(ctx, req, res);
  }

  private static void send(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
    boolean keepAlive = HttpUtil.isKeepAlive(req);
    if (keepAlive) {
      if (req.protocolVersion() == HttpVersion.HTTP_1_0) {
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
      ctx.writeAndFlush(res, ctx.voidPromise());
    } else {
      res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecompressionException) {
      // The body does not match its Content-Encoding: say so, then drop the connection (its stream is unusable).
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST,
          Unpooled.wrappedBuffer(SeldonStatus.failure(EngineException.badRequest(
              "the request body does not match its Content-Encoding: " + cause.getMessage()))),
          OwnHeaders.FACTORY, OwnHeaders.TRAILERS);
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON).setInt(HttpHeaderNames.CONTENT_LENGTH,
          res.content().readableBytes()).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.close();
  }
}
