package dev.seldonj.engine.server;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.RateLimitedWarning;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.message.StatusFlag;
import dev.seldonj.engine.message.V2Messages;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.InboundHeaders;
import dev.seldonj.engine.plan.GraphReadiness;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * The external REST API (Seldon's executor paths): routes a request, runs it, writes the answer.
 * Stateless and shared by every connection; all work is non-blocking on the connection's loop.
 */
@ChannelHandler.Sharable
public final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final AsciiString PUID = AsciiString.cached(InboundHeaders.PUID);
  private static final RateLimitedWarning CONNECTION_ERRORS = new RateLimitedWarning(
      LoggerFactory.getLogger(RestHandler.class), 10, TimeUnit.SECONDS, System::nanoTime);
  private static final AsciiString JSON = HttpHeaderValues.APPLICATION_JSON;
  private static final byte[] RETRY_AFTER = HttpAnswer.ascii("retry-after: 1\r\n");
  private static final byte[] ALLOW_POST = HttpAnswer.ascii("allow: POST, OPTIONS\r\n");
  private static final byte[] ALLOW_GET = HttpAnswer.ascii("allow: GET, HEAD, OPTIONS\r\n");

  private final Predictions predictions;
  private final EngineMetrics metrics;
  /** Per {@link Service}, its 200s. */
  private final EngineMetrics.Endpoint[] ok;
  private final String prometheusPath;
  private final GraphReadiness readiness;
  private final GraphMetadata metadata;
  private final StaticDocs docs;
  private final List<RestRoutes> protocolRoutes;
  private final ResponseHeaders responseHeaders;

  /**
   * @param protocolRoutes the routes of the graph's protocol beyond Seldon's (v2, tensorflow, per-model status)
   * @param responseHeaders cross-origin and CloudEvents headers added to every answer that asks for them
   */
  public RestHandler(Predictions predictions, EngineMetrics metrics, String prometheusPath, GraphReadiness readiness,
      GraphMetadata metadata, StaticDocs docs, List<RestRoutes> protocolRoutes, ResponseHeaders responseHeaders) {
    super(true);
    this.predictions = predictions;
    this.metrics = metrics;
    this.ok = new EngineMetrics.Endpoint[Service.values().length];
    for (Service s : Service.values()) {
      ok[s.ordinal()] = metrics.endpoint(s.label, "POST", 200);
    }
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
      case "/api/v1.0/metadata", "/api/v0.1/metadata" -> {
        if (requireMethod(ctx, req, HttpMethod.GET, "metadata", start)) {
          reply(ctx, req, "metadata", start, metadata.json(ctx.channel().eventLoop()).thenApply(Unpooled::wrappedBuffer));
        }
      }
      case "/live" -> {
        if (requireMethod(ctx, req, HttpMethod.GET, "live", start)) {
          write(ctx, req, HttpResponseStatus.OK, text("live"), HttpHeaderValues.TEXT_PLAIN, null);
        }
      }
      case "/ready" -> {
        if (requireMethod(ctx, req, HttpMethod.GET, "ready", start)) {
          ready(ctx, req);
        }
      }
      default -> route(ctx, req, path, start);
    }
  }

  private void ready(ChannelHandlerContext ctx, FullHttpRequest req) {
    readiness.check().whenComplete((notReady, e) -> {
      if (notReady == null || notReady.isEmpty()) {
        write(ctx, req, HttpResponseStatus.OK, text("ready"), HttpHeaderValues.TEXT_PLAIN, null);
      } else {
        write(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.wrappedBuffer(SeldonStatus.failure(503,
            "not ready: " + String.join("; ", notReady), "NOT_READY")), JSON, null);
      }
    });
  }

  private void route(ChannelHandlerContext ctx, FullHttpRequest req, String path, long start) {
    if ((path.equals(prometheusPath) || docs.serves(path)) && !requireMethod(ctx, req, HttpMethod.GET, "unknown", start)) {
      return;
    }
    if (path.equals(prometheusPath)) {
      write(ctx, req, HttpResponseStatus.OK, Unpooled.wrappedBuffer(metrics.scrape()),
          AsciiString.of(metrics.contentType()), null);
    } else if (docs.serves(path)) {
      StaticDocs.Resource r = docs.get(path);
      if (r == null) {
        notFound(ctx, req, path, start);
      } else if (r.redirect() != null) {
        byte[] location = HttpAnswer.ascii(HttpHeaderNames.LOCATION + ": " + r.redirect() + "\r\n");
        HttpAnswer.send(ctx, req, HttpResponseStatus.FOUND, location, null, Unpooled.EMPTY_BUFFER, false, null);
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
    return requireMethod(ctx, req, HttpMethod.POST, service, start);
  }

  /**
   * Whether the request's method is {@code allowed} (GET, which takes HEAD too, or POST; OPTIONS is answered
   * before); otherwise
   * answers 405 with an Allow header, as HTTP asks of an endpoint that exists but not for this method.
   */
  boolean requireMethod(ChannelHandlerContext ctx, FullHttpRequest req, HttpMethod allowed, String service, long start) {
    HttpMethod method = req.method();
    if (method == allowed || allowed == HttpMethod.GET && method == HttpMethod.HEAD) {
      return true; // HEAD: the GET's head, no body (the codec drops it)
    }
    metrics.server(service, method.name(), 405, start);
    HttpAnswer.send(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, allowed == HttpMethod.POST ? ALLOW_POST : ALLOW_GET,
        JSON, Unpooled.wrappedBuffer(SeldonStatus.failure(405, method + " is not allowed here, use " + allowed,
            "METHOD_NOT_ALLOWED")), false, null);
    return false;
  }

  private void predict(ChannelHandlerContext ctx, FullHttpRequest req, long start) {
    Message request;
    try {
      request = Message.request(body(req));
    } catch (EngineException e) {
      error(ctx, req, e, "predictions", start, req.headers().get(PUID));
      return;
    }
    String puid = req.headers().get(PUID);
    predictions.predict(request, puid, InboundHeaders.propagated(req.headers()), ctx.channel().eventLoop(),
        answer(ctx, req, Service.PREDICTIONS, start, puid));
  }

  private void feedback(ChannelHandlerContext ctx, FullHttpRequest req, long start) {
    String puid = req.headers().get(PUID);
    FeedbackMessage fb;
    try {
      ByteBuf body = body(req);
      fb = FeedbackMessage.request(ByteBufUtil.getBytes(body, body.readerIndex(), body.readableBytes(), false));
    } catch (EngineException e) {
      error(ctx, req, e, "feedback", start, puid);
      return;
    }
    predictions.feedback(fb, puid, InboundHeaders.propagated(req.headers()), ctx.channel().eventLoop(),
        answer(ctx, req, Service.FEEDBACK, start, puid));
  }

  /** The endpoints answered with a graph's last message. */
  enum Service {
    PREDICTIONS("predictions", true),
    FEEDBACK("feedback", true),
    /** v2: the last message as it is, no Seldon meta; counted as predictions, as the main route. */
    INFER("predictions", false);

    final String label;
    final boolean withMeta;

    Service(String label, boolean withMeta) {
      this.label = label;
      this.withMeta = withMeta;
    }
  }

  /** How the graph's outcome reaches the client; holds the request until then. */
  Predictions.Completion answer(ChannelHandlerContext ctx, FullHttpRequest req, Service service, long start,
      String headerPuid) {
    req.retain();
    return new Answer(ctx, req, ok[service.ordinal()], service, start, headerPuid);
  }

  /** Writes a prediction's or a feedback's answer, or its error; once. */
  private final class Answer implements Predictions.Completion {
    private final ChannelHandlerContext ctx;
    private final FullHttpRequest req;
    private final EngineMetrics.Endpoint ok;
    private final Service service;
    private final long start;
    private final String headerPuid;
    private boolean done;

    Answer(ChannelHandlerContext ctx, FullHttpRequest req, EngineMetrics.Endpoint ok, Service service, long start,
        String headerPuid) {
      this.ctx = ctx;
      this.req = req;
      this.ok = ok;
      this.service = service;
      this.start = start;
      this.headerPuid = headerPuid;
    }

    @Override
    public void succeeded(Message out, RequestContext rc) {
      ByteBuf body = service.withMeta ? out.jsonWithMeta(rc, ctx.alloc())
          : out.protocolProto() != null ? Unpooled.wrappedBuffer(V2Messages.json(out)) // a v2 gRPC node's answer
          : out.json().retainedDuplicate();
      done = true;
      try {
        ok.observe(200, start);
        write(ctx, req, HttpResponseStatus.OK, body, JSON, rc.puid());
      } catch (RuntimeException e) {
        ctx.close(); // nothing else can be said on this connection now
        throw e;
      } finally {
        req.release();
      }
    }

    @Override
    public void failed(Throwable error) {
      if (done) {
        return;
      }
      done = true;
      try {
        error(ctx, req, EngineException.of(error), service.label, start, headerPuid);
      } finally {
        req.release();
      }
    }
  }

  /** The JSON body: raw, or the {@code json} field of a form as older clients send it. Not retained. */
  static ByteBuf body(FullHttpRequest req) {
    String type = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
    if (type != null && type.regionMatches(true, 0, "application/x-www-form-urlencoded", 0, 33)
        && !startsWithJson(req.content())) {
      QueryStringDecoder form = new QueryStringDecoder(req.content().toString(StandardCharsets.UTF_8), false);
      List<String> json = form.parameters().get("json");
      if (json == null || json.isEmpty()) {
        throw EngineException.badRequest("the form has no 'json' field");
      }
      return Unpooled.wrappedBuffer(json.get(0).getBytes(StandardCharsets.UTF_8));
    }
    if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10)) {
      throw EngineException.badRequest("multipart bodies are not supported: send JSON or a form field json=");
    }
    if (req.content().readableBytes() == 0) {
      QueryStringDecoder query = new QueryStringDecoder(req.uri());
      List<String> json = query.parameters().get("json");
      if (json != null && !json.isEmpty()) {
        return Unpooled.wrappedBuffer(json.get(0).getBytes(StandardCharsets.UTF_8));
      }
      throw EngineException.badRequest("empty request body: expected a SeldonMessage JSON");
    }
    return req.content();
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
      CompletableFuture<ByteBuf> body) {
    reply(ctx, req, service, start, body, null);
  }

  /** As {@link #reply(ChannelHandlerContext, FullHttpRequest, String, long, CompletableFuture)}; {@code puid[0]}, when set by then, is answered as Seldon-Puid. */
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

  void error(ChannelHandlerContext ctx, FullHttpRequest req, EngineException e, String service, long start,
      String puid) {
    metrics.server(service, req.method().name(), e.httpStatus(), start);
    HttpResponseStatus status = HttpResponseStatus.valueOf(e.httpStatus());
    if (e.passthroughBody() != null) {
      AsciiString type = e.passthroughContentType() == null ? null : AsciiString.of(e.passthroughContentType());
      write(ctx, req, status, Unpooled.wrappedBuffer(StatusFlag.normalisedBody(e.passthroughBody())), type, puid);
    } else if (e.kind() == EngineException.Kind.OVERLOADED) {
      HttpAnswer.send(ctx, req, status, RETRY_AFTER, JSON, Unpooled.wrappedBuffer(SeldonStatus.failure(e)), true, puid,
          responseHeaders);
    } else {
      write(ctx, req, status, Unpooled.wrappedBuffer(SeldonStatus.failure(e)), JSON, puid);
    }
  }

  void write(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, ByteBuf content,
      CharSequence contentType, String puid) {
    HttpAnswer.send(ctx, req, status, null, contentType, content, true, puid, responseHeaders);
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecompressionException) {
      // The body does not match its Content-Encoding: say so, then drop the connection (its stream is unusable).
      ClosingAnswer.send(ctx, HttpResponseStatus.BAD_REQUEST, "the request body does not match its "
          + "Content-Encoding: " + cause.getMessage(), EngineException.Kind.BAD_REQUEST.reason);
      return;
    }
    // A client that hangs up is routine; anything else (direct memory exhausted by bodies larger than the
    // heap can hold at once, say) must be visible, but once per interval however often it repeats.
    if (!(cause instanceof IOException)) {
      CONNECTION_ERRORS.warn(() -> "closed a client connection after an error: " + cause);
    }
    ctx.close();
  }
}
