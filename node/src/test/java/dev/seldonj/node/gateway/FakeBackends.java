package dev.seldonj.node.gateway;

import com.sun.net.httpserver.HttpServer;
import dev.seldonj.local.gateway.RawBytes;
import io.grpc.HandlerRegistry;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Stand-ins for the pods behind a Service, on 127.0.0.1: each answers with its own name. */
final class FakeBackends {

    static final MethodDescriptor.Marshaller<byte[]> BYTES = RawBytes.MARSHALLER;

    private FakeBackends() {}

    /** Answers every request {@code 200 <name> <path>} and counts them (a shadow's copies too). */
    static final class Http implements AutoCloseable {
        final String name;
        final AtomicInteger requests = new AtomicInteger();
        private final HttpServer server;

        Http(String name) throws IOException {
            this.name = name;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/", exchange -> {
                try (exchange) {
                    exchange.getRequestBody().readAllBytes();
                    requests.incrementAndGet();
                    byte[] body = (name + " " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Answers any unary gRPC method with its name's bytes. */
    static final class Grpc implements AutoCloseable {
        private final Server server;

        Grpc(String name) throws IOException {
            byte[] answer = name.getBytes(StandardCharsets.UTF_8);
            server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .fallbackHandlerRegistry(new HandlerRegistry() {
                        @Override
                        public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
                            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                                    .setType(MethodDescriptor.MethodType.UNARY)
                                    .setFullMethodName(methodName)
                                    .setRequestMarshaller(BYTES)
                                    .setResponseMarshaller(BYTES)
                                    .build();
                            return ServerMethodDefinition.create(
                                    method, ServerCalls.asyncUnaryCall((request, response) -> {
                                        response.onNext(answer);
                                        response.onCompleted();
                                    }));
                        }
                    })
                    .build()
                    .start();
        }

        int port() {
            return server.getPort();
        }

        @Override
        public void close() throws InterruptedException {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
