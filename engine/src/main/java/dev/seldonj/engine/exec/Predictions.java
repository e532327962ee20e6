package dev.seldonj.engine.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.plan.PlanNode;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The transport-independent entry points the REST and gRPC adapters share: resolve the puid, run
 * the graph, and give the answer its meta (puid, merged tags, routing, request path).
 */
public final class Predictions {

  /** A finished prediction: the last message and the meta (JSON) to answer with. */
  public record Outcome(String puid, Message message, byte[] meta) {}

  private final GraphExecutor executor;

  public Predictions(GraphExecutor executor) {
    this.executor = executor;
  }

  public GraphExecutor executor() {
    return executor;
  }

  public CompletableFuture<Outcome> predict(Message request, String headerPuid, List<Map.Entry<String, String>> headers,
      EventLoop loop) {
    return predict(executor.plan().root(), request, headerPuid, headers, loop);
  }

  /** As {@link #predict(Message, String, List, EventLoop)}, through the part of the graph under {@code start}. */
  public CompletableFuture<Outcome> predict(PlanNode start, Message request, String headerPuid,
      List<Map.Entry<String, String>> headers, EventLoop loop) {
    RequestContext ctx = new RequestContext(puid(headerPuid, request.meta()), headers, loop, !request.isJson());
    return executor.predict(start, request, ctx).thenApply(out -> new Outcome(ctx.puid(), out,
        ctx.responseMeta(out.meta())));
  }

  public CompletableFuture<Outcome> feedback(FeedbackMessage feedback, String headerPuid,
      List<Map.Entry<String, String>> headers, EventLoop loop) {
    String puid = headerPuid != null && !headerPuid.isEmpty() ? headerPuid
        : feedback.puid().isEmpty() ? RequestContext.newPuid() : feedback.puid();
    RequestContext ctx = new RequestContext(puid, headers, loop, !feedback.isJson());
    return executor.feedback(feedback, ctx).thenApply(out -> {
      Message m = out == null ? Message.trusted(new byte[] {'{', '}'}) : out;
      return new Outcome(puid, m, ctx.responseMeta(m.meta()));
    });
  }

  private static String puid(String header, ObjectNode meta) {
    if (header != null && !header.isEmpty()) {
      return header;
    }
    JsonNode p = meta == null ? null : meta.get("puid");
    return p != null && p.isTextual() && !p.asText().isEmpty() ? p.asText() : RequestContext.newPuid();
  }
}
