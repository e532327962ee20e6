package dev.seldonj.wrapper;

import com.google.protobuf.MessageLite;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.concurrent.atomic.AtomicLong;

/**
 * gRPC calls take their message's size from the same {@link BodyBudget} as REST bodies until the call ends, so many
 * large messages at once cannot exhaust the heap in the component; a message that does not fit ends its call with
 * RESOURCE_EXHAUSTED before the component sees it, and the channel's other calls go on. (A message over
 * {@code SELDONJ_MAX_BODY_BYTES} never gets here: grpc-java refuses it as it arrives.)
 */
final class GrpcBodyBudget implements ServerInterceptor {

  private final BodyBudget budget;
  private final long budgetBytes;

  GrpcBodyBudget(BodyBudget budget, long budgetBytes) {
    this.budget = budget;
    this.budgetBytes = budgetBytes;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    AtomicLong taken = new AtomicLong();
    ServerCall<Q, A> giving = new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        budget.giveBack(taken.getAndSet(0));
        super.close(status, trailers);
      }
    };
    ServerCall.Listener<Q> listener = next.startCall(giving, headers);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        long size = message instanceof MessageLite m ? m.getSerializedSize() : 0;
        if (!budget.tryTake(size)) {
          refused = true;
          giving.close(Status.RESOURCE_EXHAUSTED.withDescription("SERVER_BUSY: the server holds too many request "
              + "bodies at once to take this message (" + budgetBytes + " bytes, SELDONJ_MAX_INFLIGHT_BODY_BYTES); "
              + "retry later"), new Metadata());
          return;
        }
        taken.addAndGet(size);
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
        budget.giveBack(taken.getAndSet(0));
        super.onCancel();
      }

      @Override
      public void onComplete() {
        budget.giveBack(taken.getAndSet(0));
        super.onComplete();
      }
    };
  }
}
