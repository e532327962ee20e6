package dev.seldonj.engine.it;

import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyResponse;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An Open Inference Protocol gRPC server (as MLServer or Triton): {@code ModelInfer} scripted,
 * {@code ModelReady} and {@code ModelMetadata} answering for its one model; requests recorded.
 */
public final class V2GrpcComponent implements AutoCloseable {

    private final String model;
    private final Server server;
    private final List<ModelInferRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Metadata> headers = new CopyOnWriteArrayList<>();
    private volatile boolean ready = true;

    public V2GrpcComponent(String model, Function<ModelInferRequest, ModelInferResponse> infer) throws IOException {
        this.model = model;
        HeaderCapture capture = new HeaderCapture();
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(ServerInterceptors.intercept(
                        new GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase() {
                            @Override
                            public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
                                requests.add(request);
                                headers.add(capture.current());
                                out.onNext(infer.apply(request));
                                out.onCompleted();
                            }

                            @Override
                            public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
                                if (!request.getName().equals(model)) {
                                    out.onError(Status.NOT_FOUND
                                            .withDescription("no model " + request.getName())
                                            .asRuntimeException());
                                    return;
                                }
                                out.onNext(ModelReadyResponse.newBuilder()
                                        .setReady(ready)
                                        .build());
                                out.onCompleted();
                            }

                            @Override
                            public void modelMetadata(
                                    ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
                                out.onNext(ModelMetadataResponse.newBuilder()
                                        .setName(request.getName())
                                        .setPlatform("test-grpc")
                                        .addVersions("7")
                                        .build());
                                out.onCompleted();
                            }
                        },
                        capture))
                .build()
                .start();
    }

    public int port() {
        return server.getPort();
    }

    public List<ModelInferRequest> requests() {
        return requests;
    }

    public List<Metadata> headers() {
        return headers;
    }

    public void ready(boolean ready) {
        this.ready = ready;
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
