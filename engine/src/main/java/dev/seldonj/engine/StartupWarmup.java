package dev.seldonj.engine;

import dev.seldonj.engine.config.PredictorSource;

/**
 * Start-up is dominated by class loading: binding a SeldonDeployment builds Jackson deserializers for
 * the whole fabric8 PodSpec type graph, and Micronaut, Netty, gRPC, protobuf and logging load
 * thousands of classes of their own. The main thread starts the Micronaut context while a second
 * thread warms the rest, so the two overlap.
 */
final class StartupWarmup {

  private StartupWarmup() {}

  /** Starts warming; {@code args} (the command line, not yet parsed) tell which graph reader to warm. */
  static void start(String[] args) {
    boolean fromFile = false;
    for (String arg : args) {
      fromFile |= arg.equals("--file") || arg.equals("-file") || arg.startsWith("--file=") || arg.startsWith("-file=");
    }
    boolean warmFileReader = fromFile || System.getenv("ENGINE_PREDICTOR") == null;
    Thread thread = new Thread(() -> touch(warmFileReader), "engine-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  private static void touch(boolean fileReader) {
    org.slf4j.LoggerFactory.getLogger(StartupWarmup.class);
    PredictorSource.warmUp(fileReader);
    io.seldon.protos.SeldonGrpc.getServiceDescriptor();
    io.seldon.protos.ModelGrpc.getServiceDescriptor();
    com.google.protobuf.util.JsonFormat.printer();
    io.grpc.netty.NettyServerBuilder.forPort(0);
    io.grpc.protobuf.services.ProtoReflectionServiceV1.newInstance();
    io.prometheus.metrics.core.metrics.Histogram.builder();
    new io.netty.handler.codec.http.HttpRequestDecoder();
    new io.netty.handler.codec.http.HttpResponseDecoder();
  }
}
