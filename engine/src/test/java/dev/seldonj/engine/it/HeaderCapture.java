package dev.seldonj.engine.it;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Makes a call's headers visible to a test service while it handles the call (direct executor). */
final class HeaderCapture implements ServerInterceptor {

    private final ThreadLocal<Metadata> current = new ThreadLocal<>();

    Metadata current() {
        return current.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
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
}
