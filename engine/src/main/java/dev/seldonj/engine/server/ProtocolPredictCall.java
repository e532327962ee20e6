package dev.seldonj.engine.server;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.metrics.EngineMetrics;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.util.function.Function;

/**
 * One unary inference call of a v2 or tensorflow gRPC service: the request goes through the graph as
 * it came (gRPC nodes get it untouched, REST nodes as JSON), the graph's answer is turned into the
 * protocol's response, and the call is timed under its full method name.
 */
final class ProtocolPredictCall {

    private final Predictions predictions;
    private final EventLoopGroup loops;
    private final EngineMetrics metrics;

    ProtocolPredictCall(Predictions predictions, EventLoopGroup loops, EngineMetrics metrics) {
        this.predictions = predictions;
        this.loops = loops;
        this.metrics = metrics;
    }

    <R> void run(
            String method, com.google.protobuf.Message request, Function<Message, R> response, StreamObserver<R> out) {
        long start = System.nanoTime();
        GrpcRequestHeaders.Call call = GrpcRequestHeaders.CALL.get();
        try {
            predictions
                    .predict(
                            Message.ofProtocolProto(request),
                            call.puid(),
                            call.propagated(),
                            loops.next(),
                            (m, ctx) -> {
                                // Converted before the request's buffers are released (a REST node's answer is pooled).
                                call.answerPuid(ctx.puid());
                                return response.apply(m);
                            })
                    .whenComplete((r, e) -> finish(method, r, e, out, start));
        } catch (RuntimeException e) {
            finish(method, null, e, out, start);
        }
    }

    private <R> void finish(String method, R r, Throwable e, StreamObserver<R> out, long start) {
        if (e != null) {
            Status status = EngineException.of(e).grpcStatus();
            metrics.server(method, "unary", status.getCode().value(), start);
            out.onError(status.asRuntimeException());
        } else {
            metrics.server(method, "unary", 0, start);
            out.onNext(r);
            out.onCompleted();
        }
    }
}
