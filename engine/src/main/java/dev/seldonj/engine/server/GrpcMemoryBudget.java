package dev.seldonj.engine.server;

import com.google.protobuf.MessageLite;
import dev.seldonj.engine.core.MemoryBudget;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLong;

/**
 * gRPC requests hold their message's size of the memory budget until the call ends; one that does not fit is
 * ended with RESOURCE_EXHAUSTED before the graph sees it (the connection and its other calls go on). A message
 * over the size limit never gets this far: grpc-java refuses it as it arrives (the limit is at most the budget).
 */
public final class GrpcMemoryBudget implements ServerInterceptor {

  private final MemoryBudget budget;

  public GrpcMemoryBudget(MemoryBudget budget) {
    this.budget = budget;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    AtomicLong held = new AtomicLong();
    ServerCall<Q, A> releasing = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        budget.release(held.getAndSet(0));
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
        if (!budget.tryReserve(size)) {
          refused = true;
          releasing.close(Status.RESOURCE_EXHAUSTED.withDescription(MemoryBudget.overloaded().getMessage()),
              new Metadata());
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
        budget.release(held.getAndSet(0));
        super.onCancel();
      }

      @Override
      public void onComplete() {
        budget.release(held.getAndSet(0));
        super.onComplete();
      }
    };
  }
}
