package dev.seldonj.engine.client;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How the executor talks to one graph node, whatever serves it: a REST or gRPC component, or a
 * built-in running inside the engine. Every method is non-blocking; failures complete the future
 * with an {@link EngineException} naming the node.
 */
public interface ComponentClient {

    /** {@link Step#PREDICT}, {@link Step#TRANSFORM_INPUT} or {@link Step#TRANSFORM_OUTPUT}. */
    CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx);

    /** The child index to take: n, -1 for all children, -2 to stop here. */
    CompletableFuture<Integer> route(Message input, RequestContext ctx);

    CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx);

    CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx);

    /** The node's model metadata as JSON ({@code SeldonModelMetadata}); empty object when it has none. */
    CompletableFuture<byte[]> metadata(RequestContext ctx);

    /**
     * The node's health as it reports it ({@code GET /health/status} of a Seldon REST node, the v2 or
     * tensorflow equivalent); a failed future (naming the node) when it is not healthy.
     */
    CompletableFuture<byte[]> status(RequestContext ctx);

    /**
     * The server's metadata as JSON, where the protocol has it (the Open Inference Protocol's {@code GET /v2}
     * or {@code ServerMetadata}); a NOT_FOUND failure naming the node where it has none.
     */
    default CompletableFuture<byte[]> serverMetadata(RequestContext ctx) {
        return CompletableFuture.failedFuture(new EngineException(
                EngineException.Kind.NOT_FOUND,
                "the graph's first node serves no server " + "metadata (only Open Inference Protocol servers do)"));
    }

    /** Whether the node accepts connections (always true for built-ins). */
    CompletableFuture<Boolean> ready();

    default void close() {}
}
