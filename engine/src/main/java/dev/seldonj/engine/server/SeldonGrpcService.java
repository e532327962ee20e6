package dev.seldonj.engine.server;

import com.google.protobuf.Empty;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.ProtoJson;
import dev.seldonj.engine.metrics.EngineMetrics;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.SeldonGraphMetadata;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonModelMetadata;
import io.seldon.protos.PredictionProtos.SeldonModelMetadataRequest;
import io.seldon.protos.SeldonGrpc;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/** The external gRPC API {@code seldon.protos.Seldon}: a thin adapter onto {@link Predictions}. */
public final class SeldonGrpcService extends SeldonGrpc.SeldonImplBase {

    private final Predictions predictions;
    private final GraphMetadata metadata;
    private final EventLoopGroup loops;
    private final EngineMetrics metrics;

    public SeldonGrpcService(
            Predictions predictions, GraphMetadata metadata, EventLoopGroup loops, EngineMetrics metrics) {
        this.metrics = metrics;
        this.predictions = predictions;
        this.metadata = metadata;
        this.loops = loops;
    }

    @Override
    public void predict(SeldonMessage request, StreamObserver<SeldonMessage> out) {
        GrpcRequestHeaders.Call call = GrpcRequestHeaders.CALL.get();
        answer(
                "Predict",
                () -> predictions.predict(
                        Message.of(request), call.puid(), call.propagated(), loops.next(), (m, ctx) -> {
                            call.answerPuid(ctx.puid());
                            return m.protoWithMeta(ctx);
                        }),
                out);
    }

    @Override
    public void sendFeedback(Feedback request, StreamObserver<SeldonMessage> out) {
        GrpcRequestHeaders.Call call = GrpcRequestHeaders.CALL.get();
        answer(
                "SendFeedback",
                () -> predictions.feedback(
                        FeedbackMessage.of(request), call.puid(), call.propagated(), loops.next(), (m, ctx) -> {
                            call.answerPuid(ctx.puid());
                            return m.protoWithMeta(ctx);
                        }),
                out);
    }

    @Override
    public void graphMetadata(Empty request, StreamObserver<SeldonGraphMetadata> out) {
        answer(
                "GraphMetadata",
                () -> metadata.json(loops.next())
                        .thenApply(json -> parse(json, SeldonGraphMetadata.newBuilder(), b -> b.build())),
                out);
    }

    @Override
    public void modelMetadata(SeldonModelMetadataRequest request, StreamObserver<SeldonModelMetadata> out) {
        answer(
                "ModelMetadata",
                () -> metadata.model(request.getName(), loops.next())
                        .thenApply(json -> parse(json, SeldonModelMetadata.newBuilder(), b -> b.build())),
                out);
    }

    private static <B extends com.google.protobuf.Message.Builder, T> T parse(
            byte[] json, B builder, Function<B, T> build) {
        ProtoJson.mergeLenient(json, builder, "metadata");
        return build.apply(builder);
    }

    private <T> void answer(String rpc, Supplier<CompletableFuture<T>> work, StreamObserver<T> out) {
        long start = System.nanoTime();
        CompletableFuture<T> result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((value, error) -> {
            String service = SeldonGrpc.SERVICE_NAME + "/" + rpc;
            if (error != null) {
                Status status = EngineException.of(error).grpcStatus();
                metrics.server(service, "unary", status.getCode().value(), start);
                out.onError(status.asRuntimeException());
            } else {
                metrics.server(service, "unary", 0, start);
                out.onNext(value);
                out.onCompleted();
            }
        });
    }
}
