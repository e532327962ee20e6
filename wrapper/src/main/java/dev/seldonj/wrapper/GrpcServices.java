package dev.seldonj.wrapper;

import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
import io.seldon.protos.CombinerGrpc;
import io.seldon.protos.GenericGrpc;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.OutputTransformerGrpc;
import io.seldon.protos.RouterGrpc;
import io.seldon.protos.SeldonGrpc;
import io.seldon.protos.TransformerGrpc;
import java.util.List;
import java.util.function.Function;

/**
 * The gRPC services the Python wrapper registers: Generic, Model, Router, Transformer, OutputTransformer,
 * Combiner and Seldon, every method bound to one {@link ComponentService}. Bad data is INVALID_ARGUMENT, a
 * component failure INTERNAL; the description starts with the Seldon reason.
 */
final class GrpcServices {

    private GrpcServices() {}

    static List<ServerServiceDefinition> of(ComponentService s) {
        return List.of(
                service(GenericGrpc.getServiceDescriptor())
                        .addMethod(GenericGrpc.getTransformInputMethod(), unary(s::transformInput))
                        .addMethod(GenericGrpc.getTransformOutputMethod(), unary(s::transformOutput))
                        .addMethod(GenericGrpc.getRouteMethod(), unary(s::route))
                        .addMethod(GenericGrpc.getAggregateMethod(), unary(s::aggregate))
                        .addMethod(GenericGrpc.getSendFeedbackMethod(), unary(s::sendFeedback))
                        .build(),
                service(ModelGrpc.getServiceDescriptor())
                        .addMethod(ModelGrpc.getPredictMethod(), unary(s::predict))
                        .addMethod(ModelGrpc.getSendFeedbackMethod(), unary(s::sendFeedback))
                        .addMethod(ModelGrpc.getMetadataMethod(), unary(empty -> s.metadata()))
                        .build(),
                service(RouterGrpc.getServiceDescriptor())
                        .addMethod(RouterGrpc.getRouteMethod(), unary(s::route))
                        .addMethod(RouterGrpc.getSendFeedbackMethod(), unary(s::sendFeedback))
                        .build(),
                service(TransformerGrpc.getServiceDescriptor())
                        .addMethod(TransformerGrpc.getTransformInputMethod(), unary(s::transformInput))
                        .build(),
                service(OutputTransformerGrpc.getServiceDescriptor())
                        .addMethod(OutputTransformerGrpc.getTransformOutputMethod(), unary(s::transformOutput))
                        .build(),
                service(CombinerGrpc.getServiceDescriptor())
                        .addMethod(CombinerGrpc.getAggregateMethod(), unary(s::aggregate))
                        .build(),
                service(SeldonGrpc.getServiceDescriptor())
                        .addMethod(SeldonGrpc.getPredictMethod(), unary(s::predict))
                        .addMethod(SeldonGrpc.getSendFeedbackMethod(), unary(s::sendFeedback))
                        .addMethod(SeldonGrpc.getModelMetadataMethod(), unary(request -> s.metadata()))
                        .addMethod(
                                SeldonGrpc.getGraphMetadataMethod(),
                                unimplemented(
                                        SeldonGrpc.getGraphMetadataMethod(),
                                        "graph metadata is served by the orchestrator, not by a component"))
                        .build());
    }

    private static ServerServiceDefinition.Builder service(ServiceDescriptor descriptor) {
        return ServerServiceDefinition.builder(descriptor);
    }

    private static <Q, R> ServerCallHandler<Q, R> unary(Function<Q, R> call) {
        return ServerCalls.asyncUnaryCall((request, observer) -> {
            R result;
            try {
                result = call.apply(request);
            } catch (SeldonComponentException e) {
                Status status = e.httpStatus() < 500 ? Status.INVALID_ARGUMENT : Status.INTERNAL;
                observer.onError(status.withDescription(e.reason() + ": " + e.getMessage())
                        .asRuntimeException());
                return;
            } catch (RuntimeException e) {
                observer.onError(Status.INTERNAL
                        .withDescription(SeldonComponentException.INTERNAL_ERROR + ": " + e.getMessage())
                        .asRuntimeException());
                return;
            }
            observer.onNext(result);
            observer.onCompleted();
        });
    }

    private static <Q, R> ServerCallHandler<Q, R> unimplemented(MethodDescriptor<Q, R> method, String why) {
        return ServerCalls.asyncUnaryCall((request, observer) ->
                observer.onError(Status.UNIMPLEMENTED.withDescription(why).asRuntimeException()));
    }
}
