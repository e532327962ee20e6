package dev.seldonj.engine.server;

import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.V2Messages;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerLiveRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerLiveResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerReadyRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerReadyResponse;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;

/** {@code inference.GRPCInferenceService} for v2 graphs: ModelInfer through the graph, liveness, readiness. */
public final class V2GrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

  private final Predictions predictions;
  private final ReadinessCheck readiness;
  private final EventLoopGroup loops;
  private final EngineMetrics metrics;

  public V2GrpcService(Predictions predictions, ReadinessCheck readiness, EventLoopGroup loops, EngineMetrics metrics) {
    this.predictions = predictions;
    this.readiness = readiness;
    this.loops = loops;
    this.metrics = metrics;
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    long start = System.nanoTime();
    GrpcRequestHeaders.Call call = GrpcRequestHeaders.CALL.get();
    try {
      // The request travels as it came: gRPC nodes get it untouched (raw_input_contents too), REST nodes as JSON.
      predictions.predict(Message.ofProtocolProto(request), call.puid(), call.propagated(), loops.next())
          .thenApply(o -> {
            call.answerPuid(o.puid());
            return V2Messages.responseProto(o.message());
          })
          .whenComplete((r, e) -> finish(r, e, out, start));
    } catch (RuntimeException e) {
      finish(null, e, out, start);
    }
  }

  private void finish(ModelInferResponse r, Throwable e, StreamObserver<ModelInferResponse> out, long start) {
    String service = GRPCInferenceServiceGrpc.SERVICE_NAME + "/ModelInfer";
    if (e != null) {
      io.grpc.Status status = EngineException.of(e).grpcStatus();
      metrics.server(service, "unary", status.getCode().value(), start);
      out.onError(status.asRuntimeException());
    } else {
      metrics.server(service, "unary", 0, start);
      out.onNext(r);
      out.onCompleted();
    }
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
    out.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
    out.onCompleted();
  }

  @Override
  public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
    readiness.check().whenComplete((notReady, e) -> {
      out.onNext(ServerReadyResponse.newBuilder().setReady(notReady != null && notReady.isEmpty()).build());
      out.onCompleted();
    });
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
    readiness.check().whenComplete((notReady, e) -> {
      out.onNext(ModelReadyResponse.newBuilder().setReady(notReady != null && notReady.isEmpty()).build());
      out.onCompleted();
    });
  }
}
