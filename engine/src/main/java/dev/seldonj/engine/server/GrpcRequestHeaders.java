package dev.seldonj.engine.server;

import dev.seldonj.engine.net.InboundHeaders;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Makes a gRPC call's inbound metadata available to the service (for puid and header propagation)
 * and adds the {@code Seldon-Puid} response header once the service has resolved the puid.
 */
public final class GrpcRequestHeaders implements ServerInterceptor {

    /** Per call: the inbound headers, and the puid the answer carries. */
    public static final class Call {
        private final Metadata inbound;
        private volatile String puid;

        Call(Metadata inbound) {
            this.inbound = inbound;
        }

        public String puid() {
            return inbound.get(PUID);
        }

        public void answerPuid(String puid) {
            this.puid = puid;
        }

        /** The headers a component should see, as HTTP header pairs. */
        public List<Map.Entry<String, String>> propagated() {
            List<Map.Entry<String, String>> out = new ArrayList<>();
            for (String key : inbound.keys()) {
                if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)
                        || key.startsWith("grpc-")
                        || key.startsWith(":")
                        || key.equals("user-agent")
                        || key.equals("te")
                        || !InboundHeaders.propagates(key)) {
                    continue;
                }
                String value = inbound.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
                if (value != null) {
                    out.add(Map.entry(key, value));
                }
            }
            return out;
        }
    }

    public static final Context.Key<Call> CALL = Context.key("seldon-call");
    static final Metadata.Key<String> PUID = Metadata.Key.of("seldon-puid", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        Call state = new Call(headers);
        ServerCall<Q, R> withPuid = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                if (state.puid != null) {
                    responseHeaders.put(PUID, state.puid);
                }
                super.sendHeaders(responseHeaders);
            }
        };
        return Contexts.interceptCall(Context.current().withValue(CALL, state), withPuid, headers, next);
    }
}
