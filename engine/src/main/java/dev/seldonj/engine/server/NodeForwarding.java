package dev.seldonj.engine.server;

import dev.seldonj.engine.client.ComponentClient;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.net.InboundHeaders;
import dev.seldonj.engine.plan.PlanNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * A model's status or metadata, asked of its node (as Seldon's executor forwards them): the node's
 * answer goes back as it is, a non-2xx answer passed through with its status.
 */
final class NodeForwarding {

  private final NodesByName nodes;

  NodeForwarding(NodesByName nodes) {
    this.nodes = nodes;
  }

  void status(ChannelHandlerContext ctx, FullHttpRequest req, String model, long start, RestHandler rest) {
    forward(ctx, req, model, start, rest, "status", ComponentClient::status);
  }

  void metadata(ChannelHandlerContext ctx, FullHttpRequest req, String model, long start, RestHandler rest) {
    forward(ctx, req, model, start, rest, "metadata", ComponentClient::metadata);
  }

  /** The server metadata of the node requests enter the graph at (v2 {@code GET /v2}). */
  void serverMetadata(ChannelHandlerContext ctx, FullHttpRequest req, long start, RestHandler rest) {
    rest.reply(ctx, req, "metadata", start, call(ctx, req, nodes.root(), ComponentClient::serverMetadata), null);
  }

  /** The status of the node requests enter the graph at. */
  void rootStatus(ChannelHandlerContext ctx, FullHttpRequest req, PlanNode root, long start, RestHandler rest) {
    rest.reply(ctx, req, "status", start, call(ctx, req, root, ComponentClient::status), null);
  }

  private void forward(ChannelHandlerContext ctx, FullHttpRequest req, String model, long start, RestHandler rest,
      String service, BiFunction<ComponentClient, RequestContext, CompletableFuture<byte[]>> call) {
    CompletableFuture<ByteBuf> body;
    try {
      body = call(ctx, req, nodes.get(model), call);
    } catch (EngineException e) {
      body = CompletableFuture.failedFuture(e);
    }
    rest.reply(ctx, req, service, start, body, null);
  }

  private static CompletableFuture<ByteBuf> call(ChannelHandlerContext ctx, FullHttpRequest req, PlanNode node,
      BiFunction<ComponentClient, RequestContext, CompletableFuture<byte[]>> call) {
    String puid = req.headers().get(InboundHeaders.PUID);
    RequestContext rc = new RequestContext(puid == null || puid.isEmpty() ? RequestContext.newPuid() : puid,
        InboundHeaders.propagated(req.headers()), ctx.channel().eventLoop());
    try {
      return call.apply(node.client(), rc).thenApply(Unpooled::wrappedBuffer);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
