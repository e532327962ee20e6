package dev.seldonj.engine.server;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.TensorflowJson;
import dev.seldonj.engine.message.TensorflowMessages;
import dev.seldonj.engine.net.InboundHeaders;
import dev.seldonj.engine.plan.PlanNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.CompletableFuture;

/**
 * TensorFlow Serving's REST API for graphs of protocol {@code tensorflow}, as Seldon's executor
 * serves it: {@code POST /v1/models/{model}:predict} (also {@code /v1/models/{model}/:predict}) runs
 * the graph from the node named {@code model}, {@code /v1/models:predict} and {@code /v1/models/:predict}
 * from its root; {@code GET /v1/models/{model}} and {@code /v1/models/{model}/metadata} are forwarded
 * to the node. Payloads pass as bytes; a step's {@code predictions} become the next step's {@code instances}.
 */
public final class TensorflowRoutes implements RestRoutes {

  private static final String MODELS = "/v1/models";
  private static final String PREDICT = ":predict";
  private static final String METADATA = "/metadata";

  private final Predictions predictions;
  private final NodesByName nodes;
  private final NodeForwarding forwarding;
  private final PlanNode root;

  public TensorflowRoutes(Predictions predictions, NodesByName nodes, PlanNode root) {
    this.predictions = predictions;
    this.nodes = nodes;
    this.forwarding = new NodeForwarding(nodes);
    this.root = root;
  }

  @Override
  public boolean serves(String path) {
    return path.startsWith(MODELS) && (path.length() == MODELS.length() || path.charAt(MODELS.length()) == '/'
        || path.charAt(MODELS.length()) == ':');
  }

  @Override
  public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String path, long start, RestHandler rest) {
    String tail = path.substring(MODELS.length());
    if (tail.endsWith(PREDICT)) {
      if (req.method() != HttpMethod.POST) {
        rest.error(ctx, req, notFound(req, path, "use POST"), "predictions", start);
        return;
      }
      String model = trimSlashes(tail.substring(0, tail.length() - PREDICT.length()));
      predict(ctx, req, model, start, rest);
      return;
    }
    String model = trimSlashes(tail);
    boolean metadata = model.endsWith(METADATA);
    if (metadata) {
      model = model.substring(0, model.length() - METADATA.length());
    }
    String service = metadata ? "metadata" : "status";
    if (model.isEmpty() || model.indexOf('/') >= 0) {
      rest.error(ctx, req, notFound(req, path, "expected /v1/models/{model} or /v1/models/{model}/metadata"), service,
          start);
    } else if (req.method() != HttpMethod.GET) {
      rest.error(ctx, req, notFound(req, path, "use GET"), service, start);
    } else if (metadata) {
      forwarding.metadata(ctx, req, model, start, rest);
    } else {
      forwarding.status(ctx, req, model, start, rest);
    }
  }

  private void predict(ChannelHandlerContext ctx, FullHttpRequest req, String model, long start, RestHandler rest) {
    String puid = req.headers().get(InboundHeaders.PUID);
    String[] answerPuid = {puid};
    CompletableFuture<ByteBuf> body;
    try {
      PlanNode from = model.isEmpty() ? root : nodes.get(model);
      byte[] json = ByteBufUtil.getBytes(req.content());
      TensorflowJson.checkRequest(json);
      // Converted (copied) before the request's buffers are released.
      body = predictions.predict(from, Message.trusted(json), puid, InboundHeaders.propagated(req.headers()),
          ctx.channel().eventLoop(), (m, rc) -> {
            answerPuid[0] = rc.puid();
            return Unpooled.wrappedBuffer(TensorflowMessages.json(m));
          });
    } catch (EngineException e) {
      body = CompletableFuture.failedFuture(e);
    }
    rest.reply(ctx, req, "predictions", start, body, answerPuid);
  }

  private static String trimSlashes(String s) {
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == '/') {
      from++;
    }
    while (to > from && s.charAt(to - 1) == '/') {
      to--;
    }
    return s.substring(from, to);
  }

  private static EngineException notFound(FullHttpRequest req, String path, String hint) {
    return new EngineException(EngineException.Kind.NOT_FOUND, "no such endpoint: " + req.method() + " " + path + " ("
        + hint + ")");
  }
}
