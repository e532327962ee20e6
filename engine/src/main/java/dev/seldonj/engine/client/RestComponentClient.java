package dev.seldonj.engine.client;

import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.RequestContext;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.server.OwnHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A node served over REST on Seldon's internal API ({@code POST /predict}, {@code /route} ...), or
 * its v2 or tensorflow equivalent ({@link RestProtocol}). The message bytes go out as they came in;
 * only answers' meta and routers' routes are parsed.
 */
public final class RestComponentClient implements ComponentClient {

  private static final AsciiString PUID = AsciiString.cached("Seldon-Puid");
  private static final byte[] OPEN = {'['};
  private static final byte[] COMMA = {','};
  private static final byte[] CLOSE = {']'};

  private final String node;
  private final HttpConnectionPool pool;
  private final long timeoutMs;
  private final boolean formEncoded;
  private final EngineMetrics.Client metrics;
  private final String hostHeader;
  private final RestProtocol protocol;
  private final String[] paths;
  private final String statusPath;
  private final String metadataPath;

  private final TcpProbe probe;

  public RestComponentClient(String node, HttpConnectionPool pool, TcpProbe probe, long timeoutMs, boolean formEncoded,
      RestProtocol protocol, EngineMetrics.Client metrics) {
    this.probe = probe;
    this.protocol = protocol;
    this.paths = new String[Step.values().length];
    for (Step s : Step.values()) {
      paths[s.ordinal()] = protocol.path(s, node);
    }
    this.statusPath = protocol.statusPath(node);
    this.metadataPath = protocol.metadataPath(node);
    this.node = node;
    this.pool = pool;
    this.timeoutMs = timeoutMs;
    this.formEncoded = formEncoded;
    this.metrics = metrics;
    this.hostHeader = pool.address();
  }

  @Override
  public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
    byte[] body = protocol.request(input, node);
    return post(step, Unpooled.wrappedBuffer(body), ctx).thenApply(b -> Message.response(b, node));
  }

  @Override
  public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
    return post(Step.ROUTE, Unpooled.wrappedBuffer(protocol.json(input)), ctx).thenApply(body -> RouteAnswer.fromJson(body, node));
  }

  @Override
  public CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
    // Seldon's executor sends a bare JSON array; the Java wrapper's form field wants a SeldonMessageList.
    CompositeByteBuf body = Unpooled.compositeBuffer(inputs.size() * 2 + 3);
    if (formEncoded) {
      body.addComponent(true, Unpooled.copiedBuffer("{\"seldonMessages\":", StandardCharsets.US_ASCII));
    }
    body.addComponent(true, Unpooled.wrappedBuffer(OPEN));
    for (int i = 0; i < inputs.size(); i++) {
      if (i > 0) {
        body.addComponent(true, Unpooled.wrappedBuffer(COMMA));
      }
      body.addComponent(true, Unpooled.wrappedBuffer(protocol.json(inputs.get(i))));
    }
    body.addComponent(true, Unpooled.wrappedBuffer(CLOSE));
    if (formEncoded) {
      body.addComponent(true, Unpooled.wrappedBuffer(new byte[] {'}'}));
    }
    return post(Step.AGGREGATE, body, ctx).thenApply(b -> Message.response(b, node));
  }

  @Override
  public CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
    return post(Step.SEND_FEEDBACK, Unpooled.wrappedBuffer(feedback.json()), ctx).thenApply(b -> Message.response(b, node));
  }

  @Override
  public CompletableFuture<byte[]> metadata(RequestContext ctx) {
    return get(metadataPath, ctx);
  }

  @Override
  public CompletableFuture<byte[]> status(RequestContext ctx) {
    return get(statusPath, ctx);
  }

  /** A GET on the node (status, metadata) with the client's headers; a non-2xx answer is passed through. */
  private CompletableFuture<byte[]> get(String path, RequestContext ctx) {
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path,
        Unpooled.EMPTY_BUFFER, OwnHeaders.FACTORY, OwnHeaders.TRAILERS);
    HttpHeaders h = req.headers();
    for (Map.Entry<String, String> e : ctx.headers()) {
      h.add(e.getKey(), e.getValue());
    }
    h.set(HttpHeaderNames.HOST, hostHeader).setInt(HttpHeaderNames.CONTENT_LENGTH, 0).set(PUID, ctx.puid());
    return pool.exchange(ctx.eventLoop(), req, timeoutMs).thenApply(r -> {
      if (r.status() / 100 != 2) {
        throw EngineException.componentStatus(node, r.status(), r.body(), r.contentType());
      }
      return r.body();
    });
  }

  @Override
  public CompletableFuture<Boolean> ready() {
    return probe.probe();
  }

  private CompletableFuture<byte[]> post(Step step, ByteBuf json, RequestContext ctx) {
    ByteBuf body = json;
    if (formEncoded) {
      String encoded = "json=" + URLEncoder.encode(json.toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      json.release();
      body = Unpooled.copiedBuffer(encoded, StandardCharsets.US_ASCII);
    }
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, paths[step.ordinal()], body,
        OwnHeaders.FACTORY, OwnHeaders.TRAILERS);
    HttpHeaders h = req.headers();
    for (Map.Entry<String, String> e : ctx.headers()) {
      h.add(e.getKey(), e.getValue());
    }
    h.set(HttpHeaderNames.HOST, hostHeader)
        .set(HttpHeaderNames.CONTENT_TYPE, formEncoded ? HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED
            : HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(PUID, ctx.puid());
    EventLoop loop = ctx.eventLoop();
    long start = System.nanoTime();
    return pool.exchange(loop, req, timeoutMs).handle((r, error) -> {
      if (error != null) {
        EngineException e = EngineException.of(error);
        metrics.observe(step, e.httpStatus(), start);
        throw e;
      }
      metrics.observe(step, r.status(), start);
      if (r.status() / 100 != 2) {
        throw EngineException.componentStatus(node, r.status(), r.body(), r.contentType());
      }
      return r.body();
    });
  }
}
