package dev.seldonj.engine.server;

import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.TensorflowMessages;
import dev.seldonj.engine.metrics.EngineMetrics;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * {@code tensorflow.serving.PredictionService/Predict} for graphs of protocol {@code tensorflow}: the
 * request runs through the whole graph; gRPC nodes get its tensors untouched, REST nodes TF's
 * columnar JSON.
 */
public final class TensorflowGrpcService extends PredictionServiceGrpc.PredictionServiceImplBase {

  private static final String PREDICT = PredictionServiceGrpc.SERVICE_NAME + "/Predict";

  private final Predictions predictions;
  private final EventLoopGroup loops;
  private final EngineMetrics metrics;

  public TensorflowGrpcService(Predictions predictions, EventLoopGroup loops, EngineMetrics metrics) {
    this.predictions = predictions;
    this.loops = loops;
    this.metrics = metrics;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
    long start = System.nanoTime();
    GrpcRequestHeaders.Call call = GrpcRequestHeaders.CALL.get();
    try {
      predictions.predict(Message.ofProtocolProto(request), call.puid(), call.propagated(), loops.next())
          .thenApply(o -> {
            call.answerPuid(o.puid());
            return TensorflowMessages.responseProto(o.message());
          })
          .whenComplete((r, e) -> finish(r, e, out, start));
    } catch (RuntimeException e) {
      finish(null, e, out, start);
    }
  }

  private void finish(PredictResponse r, Throwable e, StreamObserver<PredictResponse> out, long start) {
    if (e != null) {
      io.grpc.Status status = EngineException.of(e).grpcStatus();
      metrics.server(PREDICT, "unary", status.getCode().value(), start);
      out.onError(status.asRuntimeException());
    } else {
      metrics.server(PREDICT, "unary", 0, start);
      out.onNext(r);
      out.onCompleted();
    }
  }
}
