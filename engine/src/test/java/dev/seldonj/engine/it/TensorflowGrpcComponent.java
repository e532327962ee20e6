package dev.seldonj.engine.it;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

/** A TensorFlow Serving stand-in: {@code PredictionService/Predict} scripted, recording requests and headers. */
public final class TensorflowGrpcComponent implements AutoCloseable {

    /** A Predict call as received. */
    public record Call(PredictRequest request, Metadata headers) {
        public String header(String name) {
            return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        }
    }

    private final Server server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<PredictRequest, PredictResponse> handler;

    public TensorflowGrpcComponent(Function<PredictRequest, PredictResponse> handler) throws IOException {
        this.handler = handler;
        HeaderCapture capture = new HeaderCapture();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(ServerInterceptors.intercept(
                        new PredictionServiceGrpc.PredictionServiceImplBase() {
                            @Override
                            public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
                                calls.add(new Call(request, capture.current()));
                                try {
                                    out.onNext(TensorflowGrpcComponent.this.handler.apply(request));
                                    out.onCompleted();
                                } catch (StatusRuntimeException e) {
                                    out.onError(e);
                                } catch (RuntimeException e) {
                                    out.onError(Status.INTERNAL
                                            .withDescription(e.toString())
                                            .asRuntimeException());
                                }
                            }
                        },
                        capture))
                .build()
                .start();
    }

    public int port() {
        return server.getPort();
    }

    public List<Call> calls() {
        return calls;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
