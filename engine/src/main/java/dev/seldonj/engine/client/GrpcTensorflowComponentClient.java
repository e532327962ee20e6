package dev.seldonj.engine.client;

import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.message.TensorflowMessages;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.NettyTransport;
import java.util.concurrent.CompletableFuture;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A node of a tensorflow graph served over gRPC ({@code tensorflow.serving.PredictionService}, as
 * TF Serving serves it): predict and transform steps are {@code Predict} calls, the tensors passed
 * as they came.
 */
public final class GrpcTensorflowComponentClient extends ProtocolGrpcComponentClient<PredictRequest, PredictResponse> {

    public GrpcTensorflowComponentClient(
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
                PredictionServiceGrpc.getPredictMethod(),
                "is a TensorFlow Serving gRPC node");
    }

    @Override
    protected PredictRequest request(Message input) {
        return TensorflowMessages.requestProto(input, node);
    }

    @Override
    public CompletableFuture<byte[]> metadata(RequestContext ctx) {
        return unsupported("give metadata in this engine (GetModelMetadata needs TensorFlow's MetaGraph protos)");
    }

    /** TF Serving's status call lives in ModelService, which this engine does not declare: a TCP probe instead. */
    @Override
    public CompletableFuture<byte[]> status(RequestContext ctx) {
        return NodeStatus.fromProbe(node, grpc.ready());
    }
}
