package dev.seldonj.engine.server;

import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.V2Chain;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The Open Inference Protocol (v2) REST endpoints of a graph whose protocol is {@code v2}:
 * {@code POST /v2/models/{model}/infer} (and {@code /v2/models/infer}), {@code GET /v2/health/ready},
 * {@code /v2/health/live} and {@code /v2/models/{model}/ready}. Payloads pass through as bytes.
 */
public final class V2Endpoints {

  private static final String INFER_SUFFIX = "/infer";
  private static final String MODELS = "/v2/models/";

  private final Predictions predictions;
  private final ReadinessCheck readiness;

  public V2Endpoints(Predictions predictions, ReadinessCheck readiness) {
    this.predictions = predictions;
    this.readiness = readiness;
  }

  public boolean serves(String path) {
    return path.startsWith("/v2/");
  }

  void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path, long start, RestHandler rest) {
    if (path.equals("/v2/health/live")) {
      rest.write(ctx, req, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER, null, null);
    } else if (path.equals("/v2/health/ready") || path.startsWith(MODELS) && path.endsWith("/ready")) {
      readiness.check().whenComplete((notReady, e) -> rest.write(ctx, req, notReady != null && notReady.isEmpty()
          ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.EMPTY_BUFFER, null, null));
    } else if (path.startsWith(MODELS) && path.endsWith(INFER_SUFFIX) && req.method() == HttpMethod.POST) {
      infer(ctx, req, start, rest);
    } else {
      rest.error(ctx, req, new EngineException(EngineException.Kind.NOT_FOUND, "no such endpoint: " + req.method() + " "
          + path), "unknown", start);
    }
  }

  private void infer(ChannelHandlerContext ctx, FullHttpRequest req, long start, RestHandler rest) {
    byte[] json;
    try {
      json = ByteBufUtil.getBytes(req.content());
      if (json.length == 0) {
        throw EngineException.badRequest("empty request body: expected an inference request JSON");
      }
      V2Chain.checkRequest(json);
    } catch (EngineException e) {
      rest.error(ctx, req, e, "infer", start, req.headers().get(InboundHeaders.PUID));
      return;
    }
    String puid = req.headers().get(InboundHeaders.PUID);
    predictions.predict(Message.trusted(json), puid, InboundHeaders.propagated(req.headers()),
        ctx.channel().eventLoop(), rest.answer(ctx, req, RestHandler.Service.INFER, start, puid));
  }
}
