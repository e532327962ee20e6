package dev.seldonj.wrapper;

import com.google.protobuf.Empty;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.seldon.protos.CombinerGrpc;
import io.seldon.protos.GenericGrpc;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.OutputTransformerGrpc;
import io.seldon.protos.PredictionProtos.Feedback;
import io.seldon.protos.PredictionProtos.SeldonGraphMetadata;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.PredictionProtos.SeldonModelMetadata;
import io.seldon.protos.PredictionProtos.SeldonModelMetadataRequest;
import io.seldon.protos.RouterGrpc;
import io.seldon.protos.SeldonGrpc;
import io.seldon.protos.TransformerGrpc;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gRPC services the Python wrapper registers: Generic, Model, Router, Transformer, OutputTransformer,
 * Combiner and Seldon, all answered by one {@link ComponentService}. Bad data is INVALID_ARGUMENT, a
 * component failure INTERNAL; the description starts with the Seldon reason.
 */
final class GrpcServices {

  private GrpcServices() {}

  static List<BindableService> of(ComponentService s) {
    return List.of(
        new GenericGrpc.GenericImplBase() {
          @Override
          public void transformInput(SeldonMessage r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.transformInput(r));
          }

          @Override
          public void transformOutput(SeldonMessage r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.transformOutput(r));
          }

          @Override
          public void route(SeldonMessage r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.route(r));
          }

          @Override
          public void aggregate(SeldonMessageList r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.aggregate(r));
          }

          @Override
          public void sendFeedback(Feedback r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.sendFeedback(r));
          }
        },
        new ModelGrpc.ModelImplBase() {
          @Override
          public void predict(SeldonMessage r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.predict(r));
          }

          @Override
          public void sendFeedback(Feedback r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.sendFeedback(r));
          }

          @Override
          public void metadata(Empty r, StreamObserver<SeldonModelMetadata> o) {
            answer(o, s::metadata);
          }
        },
        new RouterGrpc.RouterImplBase() {
          @Override
          public void route(SeldonMessage r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.route(r));
          }

          @Override
          public void sendFeedback(Feedback r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.sendFeedback(r));
          }
        },
        new TransformerGrpc.TransformerImplBase() {
          @Override
          public void transformInput(SeldonMessage r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.transformInput(r));
          }
        },
        new OutputTransformerGrpc.OutputTransformerImplBase() {
          @Override
          public void transformOutput(SeldonMessage r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.transformOutput(r));
          }
        },
        new CombinerGrpc.CombinerImplBase() {
          @Override
          public void aggregate(SeldonMessageList r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.aggregate(r));
          }
        },
        new SeldonGrpc.SeldonImplBase() {
          @Override
          public void predict(SeldonMessage r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.predict(r));
          }

          @Override
          public void sendFeedback(Feedback r, StreamObserver<SeldonMessage> o) {
            answer(o, () -> s.sendFeedback(r));
          }

          @Override
          public void modelMetadata(SeldonModelMetadataRequest r, StreamObserver<SeldonModelMetadata> o) {
            answer(o, s::metadata);
          }

          @Override
          public void graphMetadata(Empty r, StreamObserver<SeldonGraphMetadata> o) {
            o.onError(Status.UNIMPLEMENTED.withDescription("graph metadata is served by the orchestrator, not by a component")
                .asRuntimeException());
          }
        });
  }

  private static <T> void answer(StreamObserver<T> observer, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (SeldonComponentException e) {
      Status status = e.httpStatus() < 500 ? Status.INVALID_ARGUMENT : Status.INTERNAL;
      observer.onError(status.withDescription(e.reason() + ": " + e.getMessage()).asRuntimeException());
      return;
    } catch (RuntimeException e) {
      observer.onError(Status.INTERNAL.withDescription(SeldonComponentException.INTERNAL_ERROR + ": " + e.getMessage())
          .asRuntimeException());
      return;
    }
    observer.onNext(result);
    observer.onCompleted();
  }
}
