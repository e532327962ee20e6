package dev.seldonj.engine;

import dev.seldonj.engine.server.NettyTransport;
import java.util.concurrent.CompletableFuture;

/**
 * Start-up is dominated by class loading: binding a SeldonDeployment builds Jackson deserializers for
 * the whole fabric8 PodSpec type graph (~0.8 s), and Netty, gRPC, protobuf and logging load thousands
 * of classes of their own. The two are independent, so the servers' side is initialised on a second
 * thread while the main thread reads the graph.
 */
final class StartupWarmup {

  private final CompletableFuture<NettyTransport> transport;

  private StartupWarmup(int eventLoopThreads) {
    this.transport = CompletableFuture.supplyAsync(() -> {
      NettyTransport t = new NettyTransport(eventLoopThreads);
      touch();
      return t;
    }, runnable -> {
      Thread thread = new Thread(runnable, "engine-warmup");
      thread.setDaemon(true);
      thread.start();
    });
  }

  static StartupWarmup start(int eventLoopThreads) {
    return new StartupWarmup(eventLoopThreads);
  }

  /** The event loops, created while the graph was being read. */
  NettyTransport transport() {
    return transport.join();
  }

  private static void touch() {
    org.slf4j.LoggerFactory.getLogger(EngineMain.class);
    io.seldon.protos.SeldonGrpc.getServiceDescriptor();
    io.seldon.protos.ModelGrpc.getServiceDescriptor();
    com.google.protobuf.util.JsonFormat.printer();
    io.grpc.netty.NettyServerBuilder.forPort(0);
    io.grpc.protobuf.services.ProtoReflectionServiceV1.newInstance();
    new io.grpc.protobuf.services.HealthStatusManager();
    io.prometheus.metrics.core.metrics.Histogram.builder();
    new io.netty.handler.codec.http.HttpRequestDecoder();
    new io.netty.handler.codec.http.HttpResponseDecoder();
  }
}
