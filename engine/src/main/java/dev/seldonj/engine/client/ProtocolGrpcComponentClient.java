package dev.seldonj.engine.client;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.NettyTransport;
import io.grpc.MethodDescriptor;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A node of a v2 or tensorflow graph served over gRPC: every predict or transform step is one unary
 * call of that protocol's inference method, whose protobuf travels as it came. Those services have no
 * route, aggregate or feedback calls, so such nodes are models and transformers only.
 *
 * @param <Q> the protocol's request message
 * @param <R> its response message
 */
abstract class ProtocolGrpcComponentClient<Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message>
        implements ComponentClient {

    protected final String node;
    protected final GrpcNodeChannel grpc;
    private final EngineMetrics.Client metrics;
    private final MethodDescriptor<Q, R> infer;
    private final String served;

    /** {@code served} completes "node 'x' ..., which cannot route" in the message of an unsupported call. */
    ProtocolGrpcComponentClient(
            String node,
            String host,
            int port,
            NettyTransport transport,
            long timeoutMs,
            int maxMessageBytes,
            int connectTimeoutMs,
            EngineMetrics.Client metrics,
            MethodDescriptor<Q, R> infer,
            String served) {
        this.node = node;
        this.metrics = metrics;
        this.infer = infer;
        this.served = served;
        this.grpc = new GrpcNodeChannel(node, host, port, transport, timeoutMs, maxMessageBytes, connectTimeoutMs);
    }

    /** The step's input as this protocol's request to this node. */
    protected abstract Q request(Message input);

    @Override
    public final CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
        long start = System.nanoTime();
        return grpc.call(infer, request(input), GrpcNodeChannel.headers(ctx))
                .whenComplete((r, e) -> metrics.observe(
                        step, e == null ? 200 : EngineException.of(e).httpStatus(), start))
                .thenApply(Message::ofProtocolProto);
    }

    @Override
    public final CompletableFuture<Integer> route(Message input, RequestContext ctx) {
        return unsupported("route");
    }

    @Override
    public final CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
        return unsupported("aggregate");
    }

    @Override
    public final CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
        return unsupported("take feedback");
    }

    @Override
    public final CompletableFuture<Boolean> ready() {
        return grpc.ready();
    }

    @Override
    public final void close() {
        grpc.close();
    }

    protected final <T> CompletableFuture<T> unsupported(String what) {
        return CompletableFuture.failedFuture(new EngineException(
                EngineException.Kind.UNSUPPORTED, "node '" + node + "' " + served + ", which cannot " + what));
    }
}
