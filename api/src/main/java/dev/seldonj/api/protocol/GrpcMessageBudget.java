package dev.seldonj.api.protocol;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * gRPC calls hold their message's size of a server's in-flight byte budget until the call ends, so many large
 * messages at once cannot exhaust its memory; a message that does not fit ends its call with RESOURCE_EXHAUSTED
 * before the service sees it, and the channel's other calls go on. (A message over the server's size limit never
 * gets this far: grpc-java refuses it as it arrives.) The engine and the Java wrapper both use it, each on its budget.
 */
public final class GrpcMessageBudget implements ServerInterceptor {

    private final LongPredicate tryTake;
    private final LongConsumer giveBack;
    private final Supplier<String> refusal;

    /**
     * @param tryTake takes that many bytes from the budget, or answers false when they do not fit
     * @param giveBack returns bytes taken
     * @param refusal the RESOURCE_EXHAUSTED description of a message that does not fit
     */
    public GrpcMessageBudget(LongPredicate tryTake, LongConsumer giveBack, Supplier<String> refusal) {
        this.tryTake = tryTake;
        this.giveBack = giveBack;
        this.refusal = refusal;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        AtomicLong held = new AtomicLong();
        ServerCall<Q, A> releasing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
            @Override
            public void close(Status status, Metadata trailers) {
                giveBack.accept(held.getAndSet(0));
                super.close(status, trailers);
            }
        };
        ServerCall.Listener<Q> listener = next.startCall(releasing, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            private boolean refused;

            @Override
            public void onMessage(Q message) {
                if (refused) {
                    return;
                }
                long size = message instanceof MessageLite m ? m.getSerializedSize() : 0;
                if (!tryTake.test(size)) {
                    refused = true;
                    releasing.close(Status.RESOURCE_EXHAUSTED.withDescription(refusal.get()), new Metadata());
                    return;
                }
                held.addAndGet(size);
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }

            @Override
            public void onCancel() {
                giveBack.accept(held.getAndSet(0));
                super.onCancel();
            }

            @Override
            public void onComplete() {
                giveBack.accept(held.getAndSet(0));
                super.onComplete();
            }
        };
    }
}
