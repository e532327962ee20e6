package dev.seldonj.engine.it;

import com.google.protobuf.Value;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.seldon.protos.CombinerGrpc;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.OutputTransformerGrpc;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.RouterGrpc;
import io.seldon.protos.TransformerGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A component speaking Seldon's internal gRPC services, scripted per method, recording calls and headers. */
public final class GrpcComponent implements AutoCloseable {

    /** A call as received: the method name and the headers. */
    public record Call(String method, Metadata headers, Object request) {
        public String header(String name) {
            return headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER));
        }
    }

    private final String name;
    private final Server server;
    private final Map<String, Function<Object, SeldonMessage>> handlers = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Metadata> current = new ThreadLocal<>();

    public GrpcComponent(String name) throws IOException {
        this.name = name;
        ServerInterceptor capture = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                ServerCall.Listener<Q> delegate = next.startCall(call, headers);
                return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
                    @Override
                    public void onHalfClose() {
                        current.set(headers);
                        try {
                            super.onHalfClose();
                        } finally {
                            current.remove();
                        }
                    }
                };
            }
        };
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(ServerInterceptors.intercept(
                        new ModelGrpc.ModelImplBase() {
                            @Override
                            public void predict(SeldonMessage request, StreamObserver<SeldonMessage> out) {
                                answer("Predict", request, out);
                            }

                            @Override
                            public void sendFeedback(Feedback request, StreamObserver<SeldonMessage> out) {
                                answer("SendFeedback", request, out);
                            }
                        },
                        capture))
                .addService(ServerInterceptors.intercept(
                        new RouterGrpc.RouterImplBase() {
                            @Override
                            public void route(SeldonMessage request, StreamObserver<SeldonMessage> out) {
                                answer("Route", request, out);
                            }

                            @Override
                            public void sendFeedback(Feedback request, StreamObserver<SeldonMessage> out) {
                                answer("RouterFeedback", request, out);
                            }
                        },
                        capture))
                .addService(ServerInterceptors.intercept(
                        new TransformerGrpc.TransformerImplBase() {
                            @Override
                            public void transformInput(SeldonMessage request, StreamObserver<SeldonMessage> out) {
                                answer("TransformInput", request, out);
                            }
                        },
                        capture))
                .addService(ServerInterceptors.intercept(
                        new OutputTransformerGrpc.OutputTransformerImplBase() {
                            @Override
                            public void transformOutput(SeldonMessage request, StreamObserver<SeldonMessage> out) {
                                answer("TransformOutput", request, out);
                            }
                        },
                        capture))
                .addService(ServerInterceptors.intercept(
                        new CombinerGrpc.CombinerImplBase() {
                            @Override
                            public void aggregate(SeldonMessageList request, StreamObserver<SeldonMessage> out) {
                                answer("Aggregate", request, out);
                            }
                        },
                        capture))
                .build()
                .start();
    }

    public int port() {
        return server.getPort();
    }

    public GrpcComponent on(String method, Function<Object, SeldonMessage> handler) {
        handlers.put(method, handler);
        return this;
    }

    /** Echoes SeldonMessage requests with a tag naming this component. */
    public GrpcComponent echoing(String... methods) {
        for (String m : methods) {
            on(m, r -> {
                SeldonMessage in = (SeldonMessage) r;
                var meta = in.getMeta().toBuilder()
                        .putTags(name, Value.newBuilder().setBoolValue(true).build());
                return in.toBuilder().setMeta(meta).build();
            });
        }
        return this;
    }

    public List<Call> calls() {
        return calls;
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    private void answer(String method, Object request, StreamObserver<SeldonMessage> out) {
        calls.add(new Call(method, current.get(), request));
        Function<Object, SeldonMessage> h = handlers.get(method);
        if (h == null) {
            out.onError(Status.UNIMPLEMENTED
                    .withDescription(name + " has no " + method)
                    .asRuntimeException());
            return;
        }
        try {
            out.onNext(h.apply(request));
            out.onCompleted();
        } catch (StatusRuntimeException e) {
            out.onError(e);
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}
