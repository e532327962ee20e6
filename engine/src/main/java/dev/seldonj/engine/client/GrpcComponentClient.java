package dev.seldonj.engine.client;

import com.google.protobuf.Empty;
import dev.seldonj.api.model.PredictiveUnitType;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.ProtoJson;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.NettyTransport;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.seldon.protos.CombinerGrpc;
import io.seldon.protos.GenericGrpc;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.OutputTransformerGrpc;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.RouterGrpc;
import io.seldon.protos.TransformerGrpc;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A node served over gRPC on Seldon's internal services (Model, Router, Transformer,
 * OutputTransformer, Combiner; Generic for UNKNOWN_TYPE nodes). One HTTP/2 channel per node on the
 * engine's event loops; a deadline per call; no retries.
 */
public final class GrpcComponentClient implements ComponentClient {

    private final String node;
    private final GrpcNodeChannel grpc;
    private final EngineMetrics.Client metrics;
    private final PredictiveUnitType type;

    public GrpcComponentClient(
            String node,
            PredictiveUnitType type,
            String host,
            int port,
            NettyTransport transport,
            long timeoutMs,
            int maxMessageBytes,
            int connectTimeoutMs,
            EngineMetrics.Client metrics) {
        this.node = node;
        this.type = type;
        this.metrics = metrics;
        this.grpc = new GrpcNodeChannel(node, host, port, transport, timeoutMs, maxMessageBytes, connectTimeoutMs);
    }

    @Override
    public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
        return call(step, method(step), input.proto(), ctx).thenApply(Message::of);
    }

    @Override
    public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
        return call(Step.ROUTE, method(Step.ROUTE), input.proto(), ctx).thenApply(m -> RouteAnswer.fromProto(m, node));
    }

    @Override
    public CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
        SeldonMessageList.Builder list = SeldonMessageList.newBuilder();
        for (Message m : inputs) {
            list.addSeldonMessages(m.proto());
        }
        var method = type == PredictiveUnitType.UNKNOWN_TYPE
                ? GenericGrpc.getAggregateMethod()
                : CombinerGrpc.getAggregateMethod();
        return call(Step.AGGREGATE, method, list.build(), ctx).thenApply(Message::of);
    }

    @Override
    public CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
        var method = switch (type) {
            case ROUTER -> RouterGrpc.getSendFeedbackMethod();
            case MODEL -> ModelGrpc.getSendFeedbackMethod();
            default -> GenericGrpc.getSendFeedbackMethod();
        };
        return call(Step.SEND_FEEDBACK, method, feedback.proto(), ctx).thenApply(Message::of);
    }

    @Override
    public CompletableFuture<byte[]> metadata(RequestContext ctx) {
        return grpc.call(ModelGrpc.getMetadataMethod(), Empty.getDefaultInstance(), new Metadata())
                .thenApply(ProtoJson::json);
    }

    /** Seldon's internal gRPC services have no health call: the node's status is whether it accepts connections. */
    @Override
    public CompletableFuture<byte[]> status(RequestContext ctx) {
        return NodeStatus.fromProbe(node, grpc.ready());
    }

    @Override
    public CompletableFuture<Boolean> ready() {
        return grpc.ready();
    }

    @Override
    public void close() {
        grpc.close();
    }

    private MethodDescriptor<SeldonMessage, SeldonMessage> method(Step step) {
        boolean generic = type == PredictiveUnitType.UNKNOWN_TYPE;
        return switch (step) {
            case PREDICT -> ModelGrpc.getPredictMethod();
            case TRANSFORM_INPUT ->
                generic ? GenericGrpc.getTransformInputMethod() : TransformerGrpc.getTransformInputMethod();
            case TRANSFORM_OUTPUT ->
                generic ? GenericGrpc.getTransformOutputMethod() : OutputTransformerGrpc.getTransformOutputMethod();
            case ROUTE -> generic ? GenericGrpc.getRouteMethod() : RouterGrpc.getRouteMethod();
            default -> throw new IllegalArgumentException("not a SeldonMessage step: " + step);
        };
    }

    private <Q, R> CompletableFuture<R> call(Step step, MethodDescriptor<Q, R> method, Q request, RequestContext ctx) {
        long start = System.nanoTime();
        return grpc.call(method, request, GrpcNodeChannel.headers(ctx))
                .whenComplete((r, e) -> metrics.observe(
                        step, e == null ? 200 : EngineException.of(e).httpStatus(), start));
    }
}
