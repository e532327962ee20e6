package dev.seldonj.engine.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.seldonj.engine.exec.EngineException;
import dev.seldonj.engine.exec.RequestContext;

import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.V2Messages;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.server.NettyTransport;
import dev.seldonj.protocol.v2.GRPCInferenceServiceGrpc;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelInferResponse;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelMetadataRequest;
import dev.seldonj.protocol.v2.GrpcPredictV2.ModelReadyRequest;
import java.nio.charset.StandardCharsets;

import java.util.concurrent.CompletableFuture;

/**
 * A node of a v2 graph served over gRPC ({@code inference.GRPCInferenceService}, as MLServer and
 * Triton serve it): predict and transform steps are {@code ModelInfer} calls; tensors, including
 * {@code raw_input_contents}, pass as they came.
 */
public final class GrpcV2ComponentClient extends ProtocolGrpcComponentClient<ModelInferRequest, ModelInferResponse> {

  private static final JsonFormat.Printer JSON = JsonFormat.printer().preservingProtoFieldNames()
      .omittingInsignificantWhitespace();

  public GrpcV2ComponentClient(String node, String host, int port, NettyTransport transport, long timeoutMs,
      int maxMessageBytes, int connectTimeoutMs, EngineMetrics.Client metrics) {
    super(node, host, port, transport, timeoutMs, maxMessageBytes, connectTimeoutMs, metrics,
        GRPCInferenceServiceGrpc.getModelInferMethod(), "speaks the Open Inference Protocol over gRPC");
  }

  @Override
  protected ModelInferRequest request(Message input) {
    return V2Messages.requestProto(input, node);
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

  private static byte[] json(com.google.protobuf.MessageOrBuilder m) {
    try {
      return JSON.print(m).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new EngineException(EngineException.Kind.INTERNAL, "cannot write JSON: " + e.getMessage());
    }
  }
}
