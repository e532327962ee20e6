package dev.seldonj.engine.client;

import dev.seldonj.api.model.PredictiveUnitType;
import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.RequestContext;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.ProtoJson;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.server.NettyTransport;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.seldon.protos.CombinerGrpc;
import io.seldon.protos.GenericGrpc;
import io.seldon.protos.ModelGrpc;
import io.seldon.protos.OutputTransformerGrpc;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.SeldonMessageList;
import io.seldon.protos.RouterGrpc;
import io.seldon.protos.TransformerGrpc;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A node served over gRPC on Seldon's internal services (Model, Router, Transformer,
 * OutputTransformer, Combiner; Generic for UNKNOWN_TYPE nodes). One HTTP/2 channel per node on the
 * engine's event loops; a deadline per call; no retries.
 */
public final class GrpcComponentClient implements ComponentClient {

  private final String node;
  private final ManagedChannel channel;
  private final long timeoutMs;
  private final int maxMessageBytes;
  private final EngineMetrics.Client metrics;
  private final PredictiveUnitType type;
  private final String address;
  private final TcpProbe probe;

  public GrpcComponentClient(String node, PredictiveUnitType type, String host, int port, NettyTransport transport,
      long timeoutMs, int maxMessageBytes, int connectTimeoutMs, EngineMetrics.Client metrics) {
    this.probe = new TcpProbe(host, port, transport, connectTimeoutMs);
    this.node = node;
    this.type = type;
    this.timeoutMs = timeoutMs;
    this.maxMessageBytes = maxMessageBytes;
    this.metrics = metrics;
    this.address = host + ":" + port;
    this.channel = NettyChannelBuilder.forAddress(host, port)
        .usePlaintext()
        .eventLoopGroup(transport.group())
        .channelType(transport.clientChannel())
        .maxInboundMessageSize(maxMessageBytes)
        .directExecutor()
        .disableRetry()
        .build();
  }

  @Override
  public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
    return call(step, method(step), input.proto(), ctx).thenApply(Message::of);
  }

  @Override
  public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
    return call(Step.ROUTE, method(Step.ROUTE), input.proto(), ctx).thenApply(m -> RouteAnswer.fromProto(m, node));
  }

  @Override
  public CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
    SeldonMessageList.Builder list = SeldonMessageList.newBuilder();
    for (Message m : inputs) {
      list.addSeldonMessages(m.proto());
    }
    var method = type == PredictiveUnitType.UNKNOWN_TYPE ? GenericGrpc.getAggregateMethod() : CombinerGrpc.getAggregateMethod();
    return call(Step.AGGREGATE, method, list.build(), ctx).thenApply(Message::of);
  }

  @Override
  public CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
    var method = switch (type) {
      case ROUTER -> RouterGrpc.getSendFeedbackMethod();
      case MODEL -> ModelGrpc.getSendFeedbackMethod();
      default -> GenericGrpc.getSendFeedbackMethod();
    };
    return call(Step.SEND_FEEDBACK, method, feedback.proto(), ctx).thenApply(Message::of);
  }

  @Override
  public CompletableFuture<byte[]> metadata(RequestContext ctx) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    start(ModelGrpc.getMetadataMethod(), com.google.protobuf.Empty.getDefaultInstance(), new Metadata())
        .whenComplete((m, e) -> {
          if (e != null) {
            result.completeExceptionally(e);
          } else {
            result.complete(ProtoJson.json(m));
          }
        });
    return result;
  }

  /** A TCP probe, as Seldon's executor: the channel's own state lags behind its reconnect backoff. */
  @Override
  public CompletableFuture<Boolean> ready() {
    return probe.probe();
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }

  private MethodDescriptor<SeldonMessage, SeldonMessage> method(Step step) {
    boolean generic = type == PredictiveUnitType.UNKNOWN_TYPE;
    return switch (step) {
      case PREDICT -> ModelGrpc.getPredictMethod();
      case TRANSFORM_INPUT -> generic ? GenericGrpc.getTransformInputMethod() : TransformerGrpc.getTransformInputMethod();
      case TRANSFORM_OUTPUT -> generic ? GenericGrpc.getTransformOutputMethod()
          : OutputTransformerGrpc.getTransformOutputMethod();
      case ROUTE -> generic ? GenericGrpc.getRouteMethod() : RouterGrpc.getRouteMethod();
      default -> throw new IllegalArgumentException("not a SeldonMessage step: " + step);
    };
  }

  private <Q, R> CompletableFuture<R> call(Step step, MethodDescriptor<Q, R> method, Q request, RequestContext ctx) {
    Metadata headers = new Metadata();
    for (Map.Entry<String, String> e : ctx.headers()) {
      GrpcHeaders.put(headers, e.getKey(), e.getValue());
    }
    GrpcHeaders.put(headers, "seldon-puid", ctx.puid());
    long start = System.nanoTime();
    return this.<Q, R>start(method, request, headers).whenComplete((r, e) -> metrics.observe(step,
        e == null ? 200 : EngineException.of(e).httpStatus(), start));
  }

  private <Q, R> CompletableFuture<R> start(MethodDescriptor<Q, R> method, Q request, Metadata headers) {
    CompletableFuture<R> result = new CompletableFuture<>();
    ClientCall<Q, R> call = channel.newCall(method, CallOptions.DEFAULT
        .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS)
        .withMaxOutboundMessageSize(maxMessageBytes));
    call.start(new ClientCall.Listener<>() {
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
          result.completeExceptionally(new EngineException(EngineException.Kind.INVALID_RESPONSE,
              "node '" + node + "' closed " + method.getBareMethodName() + " without an answer"));
        } else {
          Status s = status.getCode() == Status.Code.DEADLINE_EXCEEDED
              ? status.withDescription("no answer to " + method.getBareMethodName() + " within " + timeoutMs + " ms")
              : status.getCode() == Status.Code.UNAVAILABLE
                  ? status.withDescription(address + ": " + status.getDescription()) : status;
          result.completeExceptionally(EngineException.componentGrpcStatus(node, s));
        }
      }
    }, headers);
    call.request(2);
    call.sendMessage(request);
    call.halfClose();
    return result;
  }
}
