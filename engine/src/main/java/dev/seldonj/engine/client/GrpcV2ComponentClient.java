package dev.seldonj.engine.client;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.message.V2Messages;
import dev.seldonj.engine.message.V2Metadata;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.NettyTransport;
import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerMetadataRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ServerMetadataResponse;
import java.util.concurrent.CompletableFuture;

/**
 * A node of a v2 graph served over gRPC ({@code inference.GRPCInferenceService}, as MLServer and
 * Triton serve it): predict and transform steps are {@code ModelInfer} calls; tensors, including
 * {@code raw_input_contents}, pass as they came.
 */
public final class GrpcV2ComponentClient extends ProtocolGrpcComponentClient<ModelInferRequest, ModelInferResponse> {

    public GrpcV2ComponentClient(
            String node,
            String host,
            int port,
            NettyTransport transport,
            long timeoutMs,
            int maxMessageBytes,
            int connectTimeoutMs,
            EngineMetrics.Client metrics) {
        super(
                node,
                host,
                port,
                transport,
                timeoutMs,
                maxMessageBytes,
                connectTimeoutMs,
                metrics,
                GRPCInferenceServiceGrpc.getModelInferMethod(),
                "speaks the Open Inference Protocol over gRPC");
    }

    @Override
    protected ModelInferRequest request(Message input) {
        return V2Messages.requestProto(input, node);
    }

    /** The node's own {@code ModelMetadata} answer, as it is (MLServer's extra fields kept). */
    public CompletableFuture<ModelMetadataResponse> modelMetadata(ModelMetadataRequest request, RequestContext ctx) {
        return grpc.call(GRPCInferenceServiceGrpc.getModelMetadataMethod(), request, GrpcNodeChannel.headers(ctx));
    }

    /** The node's own {@code ServerMetadata} answer. */
    public CompletableFuture<ServerMetadataResponse> serverMetadataProto(RequestContext ctx) {
        return grpc.call(
                GRPCInferenceServiceGrpc.getServerMetadataMethod(),
                ServerMetadataRequest.getDefaultInstance(),
                GrpcNodeChannel.headers(ctx));
    }

    /** The node's own {@code ModelReady} answer. */
    public CompletableFuture<ModelReadyResponse> modelReady(ModelReadyRequest request, RequestContext ctx) {
        return grpc.call(GRPCInferenceServiceGrpc.getModelReadyMethod(), request, GrpcNodeChannel.headers(ctx));
    }

    @Override
    public CompletableFuture<byte[]> metadata(RequestContext ctx) {
        // As MLServer's REST answer for the same model, not the protobuf's JSON mapping (int64 shapes as strings).
        return modelMetadata(ModelMetadataRequest.newBuilder().setName(node).build(), ctx)
                .thenApply(V2Metadata::json);
    }

    @Override
    public CompletableFuture<byte[]> serverMetadata(RequestContext ctx) {
        return serverMetadataProto(ctx).thenApply(V2Metadata::json);
    }

    @Override
    public CompletableFuture<byte[]> status(RequestContext ctx) {
        return modelReady(ModelReadyRequest.newBuilder().setName(node).build(), ctx)
                .thenApply(r -> {
                    if (!r.getReady()) {
                        throw new EngineException(EngineException.Kind.UNAVAILABLE, "node '" + node + "' is not ready");
                    }
                    return new byte[0]; // MLServer's REST ready answer: 200, empty body
                });
    }
}
