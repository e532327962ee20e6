package dev.seldonj.engine.server;

import dev.seldonj.engine.client.ComponentClient;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.plan.PlanNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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

    void status(Exchange ex, String model) {
        forward(ex, model, "status", ComponentClient::status);
    }

    void metadata(Exchange ex, String model) {
        forward(ex, model, "metadata", ComponentClient::metadata);
    }

    /** The server metadata of the node requests enter the graph at (v2 {@code GET /v2}). */
    void serverMetadata(Exchange ex) {
        ex.reply("metadata", call(ex, nodes.root(), ComponentClient::serverMetadata));
    }

    /** The status of the node requests enter the graph at. */
    void rootStatus(Exchange ex, PlanNode root) {
        ex.reply("status", call(ex, root, ComponentClient::status));
    }

    private void forward(
            Exchange ex,
            String model,
            String service,
            BiFunction<ComponentClient, RequestContext, CompletableFuture<byte[]>> call) {
        CompletableFuture<ByteBuf> body;
        try {
            body = call(ex, nodes.get(model), call);
        } catch (EngineException e) {
            body = CompletableFuture.failedFuture(e);
        }
        ex.reply(service, body);
    }

    private static CompletableFuture<ByteBuf> call(
            Exchange ex, PlanNode node, BiFunction<ComponentClient, RequestContext, CompletableFuture<byte[]>> call) {
        String puid = ex.headerPuid();
        RequestContext rc = new RequestContext(
                puid == null || puid.isEmpty() ? RequestContext.newPuid() : puid,
                ex.propagatedHeaders(),
                ex.eventLoop());
        try {
            return call.apply(node.client(), rc).thenApply(Unpooled::wrappedBuffer);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
