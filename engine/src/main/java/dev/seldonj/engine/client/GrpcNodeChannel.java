package dev.seldonj.engine.client;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.net.NettyTransport;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The connection to one gRPC component, whatever its protocol: one HTTP/2 channel on the engine's
 * event loops, unary calls with a deadline and no retries, failures as {@link EngineException}s
 * naming the node, and a TCP readiness probe.
 */
final class GrpcNodeChannel {

    private final String node;
    private final ManagedChannel channel;
    private final long timeoutMs;
    private final int maxMessageBytes;
    private final String address;
    private final TcpProbe probe;

    GrpcNodeChannel(
            String node,
            String host,
            int port,
            NettyTransport transport,
            long timeoutMs,
            int maxMessageBytes,
            int connectTimeoutMs) {
        this.node = node;
        this.timeoutMs = timeoutMs;
        this.maxMessageBytes = maxMessageBytes;
        this.address = host + ":" + port;
        this.probe = new TcpProbe(host, port, transport, connectTimeoutMs);
        this.channel = NettyChannelBuilder.forAddress(host, port)
                .usePlaintext()
                .eventLoopGroup(transport.group())
                .channelType(transport.clientChannel())
                .maxInboundMessageSize(maxMessageBytes)
                .flowControlWindow(NettyTransport.GRPC_FLOW_CONTROL_WINDOW)
                .directExecutor()
                .disableRetry()
                .build();
    }

    /** The request's headers as gRPC metadata: the client's propagated headers and the puid. */
    static Metadata headers(RequestContext ctx) {
        Metadata headers = new Metadata();
        for (Map.Entry<String, String> e : ctx.headers()) {
            GrpcHeaders.put(headers, e.getKey(), e.getValue());
        }
        GrpcHeaders.put(headers, "seldon-puid", ctx.puid());
        if (ctx.trace() != null) {
            ctx.trace().inject((name, value) -> GrpcHeaders.put(headers, name, value));
        }
        return headers;
    }

    /** One unary call; completes with the answer or an EngineException naming the node. */
    <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request, Metadata headers) {
        CompletableFuture<R> result = new CompletableFuture<>();
        ClientCall<Q, R> call = channel.newCall(
                method,
                CallOptions.DEFAULT
                        .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
                        .withMaxOutboundMessageSize(maxMessageBytes));
        call.start(
                new ClientCall.Listener<>() {
                    private R response;

                    @Override
                    public void onMessage(R message) {
                        response = message;
                    }

                    @Override
                    public void onClose(Status status, Metadata trailers) {
                        if (status.isOk() && response != null) {
                            result.complete(response);
                        } else if (status.isOk()) {
                            result.completeExceptionally(new EngineException(
                                    EngineException.Kind.INVALID_RESPONSE,
                                    "node '" + node + "' closed " + method.getBareMethodName() + " without an answer"));
                        } else {
                            Status s = status.getCode() == Status.Code.DEADLINE_EXCEEDED
                                    ? status.withDescription("no answer to " + method.getBareMethodName() + " within "
                                            + timeoutMs + " ms")
                                    : status.getCode() == Status.Code.UNAVAILABLE
                                            ? status.withDescription(address + ": " + status.getDescription())
                                            : status;
                            result.completeExceptionally(EngineException.componentGrpcStatus(node, s));
                        }
                    }
                },
                headers);
        call.request(2);
        call.sendMessage(request);
        call.halfClose();
        return result;
    }

    /** A TCP probe, as Seldon's executor: the channel's own state lags behind its reconnect backoff. */
    CompletableFuture<Boolean> ready() {
        return probe.probe();
    }

    void close() {
        channel.shutdownNow();
    }
}
