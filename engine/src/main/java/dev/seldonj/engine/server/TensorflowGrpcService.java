package dev.seldonj.engine.server;

import dev.seldonj.engine.exec.Predictions;
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

    private final ProtocolPredictCall calls;

    public TensorflowGrpcService(Predictions predictions, EventLoopGroup loops, EngineMetrics metrics) {
        this.calls = new ProtocolPredictCall(predictions, loops, metrics);
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
        calls.run(PREDICT, request, TensorflowMessages::responseProto, out);
    }
}
