package dev.seldonj.local.gateway;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gRPC side of the local gateway: any method, forwarded as raw bytes to the engine chosen by the
 * {@code seldon} and {@code namespace} metadata (the headers of Seldon's gRPC Mappings), with the
 * same traffic split and shadows as REST. Streaming works too: messages are relayed one by one.
 */
public final class GrpcGateway implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = Integer.MAX_VALUE;
    private static final MethodDescriptor.Marshaller<byte[]> BYTES = RawBytes.MARSHALLER;
    /**
     * gRPC server reflection ({@code grpcurl list}, {@code describe}): Seldon's Mappings match only the protocol
     * services' paths, so a reflection call is routed as if it were one of them (by its seldon/namespace
     * metadata, to the engine that serves them) and never mirrored to a shadow.
     */
    private static final String REFLECTION = "/grpc.reflection.";

    private static final String AS_PROTOCOL_SERVICE = "/seldon.protos.Seldon";

    private final Supplier<Routes> routes;
    private final Server server;
    private final Map<Upstream, ManagedChannel> channels = new ConcurrentHashMap<>();
    /** The routes the channel map was last pruned for; compared by identity, once per call. */
    private volatile Routes pruned;

    /** @param routes read once per call, so a source may swap them while the gateway serves */
    public GrpcGateway(Supplier<Routes> routes, int port) throws IOException {
        this.routes = routes;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .fallbackHandlerRegistry(new AnyMethod())
                .build()
                .start();
    }

    public int port() {
        return server.getPort();
    }

    private final class AnyMethod extends HandlerRegistry {
        @Override
        public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
            MethodDescriptor<byte[], byte[]> method = MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNKNOWN)
                    .setFullMethodName(methodName)
                    .setRequestMarshaller(BYTES)
                    .setResponseMarshaller(BYTES)
                    .build();
            return ServerMethodDefinition.create(method, new Relay());
        }
    }

    private ManagedChannel channel(Upstream to) {
        return channels.computeIfAbsent(
                to,
                u -> NettyChannelBuilder.forAddress(u.host(), u.port())
                        .usePlaintext()
                        .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                        .build());
    }

    /**
     * When the routes were swapped, closes the channels to upstreams no route names any more (pods
     * that went away), so that a long-running cluster gateway does not collect them. Calls already on
     * such a channel finish: {@code shutdown}, not {@code shutdownNow}.
     */
    private void pruneChannels(Routes current) {
        if (current == pruned) {
            return;
        }
        pruned = current;
        channels.entrySet().removeIf(e -> {
            if (current.upstreams().contains(e.getKey())) {
                return false;
            }
            e.getValue().shutdown();
            return true;
        });
    }

    /** Relays one call: caller -> chosen engine (and copies to shadows), engine -> caller. */
    private final class Relay implements ServerCallHandler<byte[], byte[]> {

        @Override
        public ServerCall.Listener<byte[]> startCall(ServerCall<byte[], byte[]> serverCall, Metadata headers) {
            String path = "/" + serverCall.getMethodDescriptor().getFullMethodName();
            Routes current = routes.get();
            pruneChannels(current);
            boolean reflection = path.startsWith(REFLECTION);
            var choice = current.grpc(
                    reflection ? AS_PROTOCOL_SERVICE + path.substring(path.lastIndexOf('/')) : path,
                    name -> headers.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER)));
            if (choice.isEmpty()) {
                serverCall.close(
                        Status.UNAVAILABLE.withDescription("no gRPC Mapping matches " + path
                                + " with these seldon/namespace metadata; routes: " + current.grpcHeaders()),
                        new Metadata());
                return new ServerCall.Listener<>() {};
            }
            Routes.Backend primary = choice.get().primary();
            Optional<Upstream> target = primary.endpoints().next();
            if (target.isEmpty()) {
                serverCall.close(
                        Status.UNAVAILABLE.withDescription(
                                "Mapping " + primary.mapping().qualifiedName()
                                        + " (service " + primary.mapping().service() + ") has no upstream: "
                                        + primary.endpoints().unavailableReason()),
                        new Metadata());
                return new ServerCall.Listener<>() {};
            }
            MethodDescriptor<byte[], byte[]> method = serverCall.getMethodDescriptor();
            ClientCall<byte[], byte[]> upstream = channel(target.get()).newCall(method, CallOptions.DEFAULT);
            List<ClientCall<byte[], byte[]>> shadows = reflection
                    ? List.of()
                    : choice.get().shadows().stream()
                            .flatMap(s -> s.endpoints().next().stream())
                            .map(to -> channel(to).newCall(method, CallOptions.DEFAULT))
                            .toList();
            upstream.start(
                    new ClientCall.Listener<>() {
                        @Override
                        public void onHeaders(Metadata responseHeaders) {
                            serverCall.sendHeaders(responseHeaders);
                        }

                        @Override
                        public void onMessage(byte[] message) {
                            serverCall.sendMessage(message);
                            upstream.request(1);
                        }

                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            serverCall.close(status, trailers);
                        }
                    },
                    headers);
            for (ClientCall<byte[], byte[]> shadow : shadows) {
                Metadata copy = new Metadata();
                copy.merge(headers);
                shadow.start(
                        new ClientCall.Listener<>() {
                            @Override
                            public void onMessage(byte[] message) {
                                shadow.request(1);
                            }
                        },
                        copy);
                shadow.request(1);
            }
            upstream.request(1);
            serverCall.request(1);
            return new ServerCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    upstream.sendMessage(message);
                    shadows.forEach(s -> s.sendMessage(message));
                    serverCall.request(1);
                }

                @Override
                public void onHalfClose() {
                    upstream.halfClose();
                    shadows.forEach(ClientCall::halfClose);
                }

                @Override
                public void onCancel() {
                    upstream.cancel("caller cancelled", null);
                    shadows.forEach(s -> s.cancel("caller cancelled", null));
                }
            };
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
        channels.values().forEach(ManagedChannel::shutdownNow);
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
