package dev.seldonj.engine.client;

import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.RequestContext;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.TensorflowMessages;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.server.NettyTransport;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tensorflow.serving.PredictionServiceGrpc;

/**
 * A node of a tensorflow graph served over gRPC ({@code tensorflow.serving.PredictionService}, as
 * TF Serving serves it): predict and transform steps are {@code Predict} calls, the tensors passed
 * as they came.
 */
public final class GrpcTensorflowComponentClient implements ComponentClient {

  private final String node;
  private final GrpcNodeChannel grpc;
  private final EngineMetrics.Client metrics;

  public GrpcTensorflowComponentClient(String node, String host, int port, NettyTransport transport, long timeoutMs,
      int maxMessageBytes, int connectTimeoutMs, EngineMetrics.Client metrics) {
    this.node = node;
    this.metrics = metrics;
    this.grpc = new GrpcNodeChannel(node, host, port, transport, timeoutMs, maxMessageBytes, connectTimeoutMs);
  }

  @Override
  public CompletableFuture<Message> transform(Step step, Message input, RequestContext ctx) {
    long start = System.nanoTime();
    return grpc.call(PredictionServiceGrpc.getPredictMethod(), TensorflowMessages.requestProto(input, node),
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
    return unsupported("give metadata in this engine (GetModelMetadata needs TensorFlow's MetaGraph protos)");
  }

  /** TF Serving's status call lives in ModelService, which this engine does not declare: a TCP probe instead. */
  @Override
  public CompletableFuture<byte[]> status(RequestContext ctx) {
    return NodeStatus.fromProbe(node, grpc.ready());
  }

  @Override
  public CompletableFuture<Boolean> ready() {
    return grpc.ready();
  }

  @Override
  public void close() {
    grpc.close();
  }

  private <T> CompletableFuture<T> unsupported(String what) {
    return CompletableFuture.failedFuture(new EngineException(EngineException.Kind.UNSUPPORTED, "node '" + node
        + "' is a TensorFlow Serving gRPC node, which cannot " + what));
  }
}
