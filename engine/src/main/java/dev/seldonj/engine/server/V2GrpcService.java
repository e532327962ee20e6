package dev.seldonj.engine.server;

import dev.seldonj.engine.client.ComponentClient;
import dev.seldonj.engine.client.GrpcV2ComponentClient;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.message.V2Messages;
import dev.seldonj.engine.message.V2Metadata;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.plan.GraphReadiness;
import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerLiveRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerLiveResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerMetadataRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerMetadataResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerReadyRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerReadyResponse;
import io.grpc.stub.StreamObserver;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code inference.GRPCInferenceService} for v2 graphs: ModelInfer through the graph, liveness and readiness
 * of the graph, and, as Seldon's executor does, ModelReady and ModelMetadata asked of the node the call names
 * and ServerMetadata of the graph's first node: a gRPC node's own answer as it is, a REST node's converted.
 */
public final class V2GrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private static final String MODEL_INFER = GRPCInferenceServiceGrpc.SERVICE_NAME + "/ModelInfer";

    private final GraphReadiness readiness;
    private final ProtocolPredictCall calls;
    private final NodesByName nodes;
    private final EventLoopGroup loops;

    public V2GrpcService(
            Predictions predictions,
            GraphReadiness readiness,
            NodesByName nodes,
            EventLoopGroup loops,
            EngineMetrics metrics) {
        this.readiness = readiness;
        this.calls = new ProtocolPredictCall(predictions, loops, metrics);
        this.nodes = nodes;
        this.loops = loops;
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        calls.run(MODEL_INFER, request, m -> V2Messages.responseProto(m, request), out);
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        out.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
        out.onCompleted();
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        readiness.check().whenComplete((notReady, e) -> {
            out.onNext(ServerReadyResponse.newBuilder()
                    .setReady(notReady != null && notReady.isEmpty())
                    .build());
            out.onCompleted();
        });
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        answer(out, () -> {
            RequestContext ctx = context();
            ComponentClient node = nodes.get(request.getName()).client();
            if (node instanceof GrpcV2ComponentClient g) {
                return g.modelReady(request, ctx);
            }
            // A REST node: ready when its /v2/models/{name}/ready answers 2xx, not ready when it answers otherwise.
            return node.status(ctx)
                    .handle((ok, e) ->
                            ModelReadyResponse.newBuilder().setReady(e == null).build());
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        answer(out, () -> {
            RequestContext ctx = context();
            ComponentClient node = nodes.get(request.getName()).client();
            if (node instanceof GrpcV2ComponentClient g) {
                return g.modelMetadata(request, ctx);
            }
            return node.metadata(ctx).thenApply(json -> V2Metadata.modelProto(request.getName(), json));
        });
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        answer(out, () -> {
            RequestContext ctx = context();
            ComponentClient node = nodes.root().client();
            if (node instanceof GrpcV2ComponentClient g) {
                return g.serverMetadataProto(ctx);
            }
            return node.serverMetadata(ctx)
                    .thenApply(json -> V2Metadata.serverProto(nodes.root().name(), json));
        });
    }

    private RequestContext context() {
        GrpcRequestHeaders.Call call = GrpcRequestHeaders.CALL.get();
        String puid =
                call == null || call.puid() == null || call.puid().isEmpty() ? RequestContext.newPuid() : call.puid();
        return new RequestContext(puid, call == null ? List.of() : call.propagated(), loops.next());
    }

    /** The node's answer, or its failure as the gRPC status Seldon's mapping gives it. */
    private static <R> void answer(StreamObserver<R> out, Supplier<CompletableFuture<R>> call) {
        CompletableFuture<R> f;
        try {
            f = call.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenComplete((r, e) -> {
            if (e != null) {
                out.onError(EngineException.of(e).grpcStatus().asRuntimeException());
            } else {
                out.onNext(r);
                out.onCompleted();
            }
        });
    }
}
