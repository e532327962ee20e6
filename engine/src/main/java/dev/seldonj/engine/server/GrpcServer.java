package dev.seldonj.engine.server;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The external gRPC server on the engine's event loops: the graph's service(s), gRPC health
 * ({@code grpc.health.v1.Health}) and server reflection (v1 and v1alpha).
 */
public final class GrpcServer implements AutoCloseable {

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();

  public GrpcServer(NettyTransport transport, int port, int maxMessageBytes, List<BindableService> services) {
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(port))
        .bossEventLoopGroup(transport.group())
        .workerEventLoopGroup(transport.group())
        .channelType(transport.serverChannel())
        .directExecutor()
        .maxInboundMessageSize(maxMessageBytes)
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(ProtoReflectionService.newInstance());
    GrpcRequestHeaders headers = new GrpcRequestHeaders();
    for (BindableService s : services) {
      b.addService(ServerInterceptors.intercept(s, headers));
      health.setStatus(s.bindService().getServiceDescriptor().getName(),
          io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    }
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
        io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    try {
      this.server = b.build().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the gRPC server on port " + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdownNow();
    try {
      server.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
