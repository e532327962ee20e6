package dev.seldonj.engine.server;

import dev.seldonj.engine.exec.Predictions;
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

  private static final String MODEL_INFER = GRPCInferenceServiceGrpc.SERVICE_NAME + "/ModelInfer";

  private final ReadinessCheck readiness;
  private final ProtocolPredictCall calls;

  public V2GrpcService(Predictions predictions, ReadinessCheck readiness, EventLoopGroup loops, EngineMetrics metrics) {
    this.readiness = readiness;
    this.calls = new ProtocolPredictCall(predictions, loops, metrics);
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
    calls.run(MODEL_INFER, request, V2Messages::responseProto, out);
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
