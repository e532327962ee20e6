package dev.seldonj.engine.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.RequestContext;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.V2Messages;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.server.NettyTransport;
import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A node of a v2 graph served over gRPC ({@code inference.GRPCInferenceService}, as MLServer and
 * Triton serve it): predict and transform steps are {@code ModelInfer} calls; tensors, including
 * {@code raw_input_contents}, pass as they came.
 */
public final class GrpcV2ComponentClient implements ComponentClient {

  private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  private final String node;
  private final GrpcNodeChannel grpc;
  private final EngineMetrics.Client metrics;

  public GrpcV2ComponentClient(String node, String host, int port, NettyTransport transport, long timeoutMs,
      int maxMessageBytes, int connectTimeoutMs, EngineMetrics.Client metrics) {
    this.node = node;
    this.metrics = metrics;
    this.grpc = new GrpcNodeChannel(node, host, port, transport, timeoutMs, maxMessageBytes, connectTimeoutMs);
  }

  @Override
  public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
    long start = System.nanoTime();
    return grpc.call(GRPCInferenceServiceGrpc.getModelInferMethod(), V2Messages.requestProto(input, node),
            GrpcNodeChannel.headers(ctx))
        .whenComplete((r, e) -> metrics.observe(step, e == null ? 200 : EngineException.of(e).httpStatus(), start))
        .thenApply(Message::ofProtocolProto);
  }

  @Override
  public CompletableFuture<Integer> route(Message input, RequestContext ctx) {
    return unsupported("route");
  }

  @Override
  public CompletableFuture<Message> aggregate(List<Message> inputs, RequestContext ctx) {
    return unsupported("aggregate");
  }

  @Override
  public CompletableFuture<Message> sendFeedback(FeedbackMessage feedback, RequestContext ctx) {
    return unsupported("take feedback");
  }

  @Override
  public CompletableFuture<byte[]> metadata(RequestContext ctx) {
    return grpc.call(GRPCInferenceServiceGrpc.getModelMetadataMethod(), ModelMetadataRequest.newBuilder().setName(node)
        .build(), GrpcNodeChannel.headers(ctx)).thenApply(GrpcV2ComponentClient::json);
  }

  @Override
  public CompletableFuture<byte[]> status(RequestContext ctx) {
    return grpc.call(GRPCInferenceServiceGrpc.getModelReadyMethod(), ModelReadyRequest.newBuilder().setName(node)
        .build(), GrpcNodeChannel.headers(ctx)).thenApply(r -> {
          if (!r.getReady()) {
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "node '" + node + "' is not ready");
          }
          return json(r);
        });
  }

  @Override
  public CompletableFuture<Boolean> ready() {
    return grpc.ready();
  }

  @Override
  public void close() {
    grpc.close();
  }

  private static byte[] json(com.google.protobuf.MessageOrBuilder m) {
    try {
      return JSON.print(m).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new EngineException(EngineException.Kind.INTERNAL, "cannot write JSON: " + e.getMessage());
    }
  }

  private <T> CompletableFuture<T> unsupported(String what) {
    return CompletableFuture.failedFuture(new EngineException(EngineException.Kind.UNSUPPORTED, "node '" + node
        + "' speaks the Open Inference Protocol over gRPC, which cannot " + what));
  }
}
