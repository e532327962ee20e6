package dev.seldonj.engine.client.builtin;

import dev.seldonj.engine.client.ComponentClient;
import dev.seldonj.engine.client.NodeStatus;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Base of the components that run inside the engine: whatever a built-in does not do is a 500 naming it. */
abstract class BuiltInClient implements ComponentClient {

    static final byte[] EMPTY = "{}".getBytes(StandardCharsets.US_ASCII);

    protected final String node;

    BuiltInClient(String node) {
        this.node = node;
    }

    @Override
    public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
        return unsupported(step.metricName);
    }

    @Override
    public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
        return unsupported("route");
    }

    @Override
    public CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
        return unsupported("aggregate");
    }

    @Override
    public CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
        return CompletableFuture.completedFuture(Message.trusted(EMPTY));
    }

    @Override
    public CompletableFuture<byte[]> metadata(RequestContext ctx) {
        return CompletableFuture.completedFuture(
                ("{\"name\":\"" + node + "\",\"platform\":\"seldonj-builtin\"}").getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<byte[]> status(RequestContext ctx) {
        return CompletableFuture.completedFuture(NodeStatus.success(
                "built-in node '" + node + "' (" + getClass().getSimpleName() + ") runs inside the engine"));
    }

    @Override
    public CompletableFuture<Boolean> ready() {
        return CompletableFuture.completedFuture(true);
    }

    private <T> CompletableFuture<T> unsupported(String what) {
        return CompletableFuture.failedFuture(new EngineException(
                EngineException.Kind.INTERNAL,
                "built-in node '" + node + "' (" + getClass().getSimpleName() + ") does not " + what));
    }
}
