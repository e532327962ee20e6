package dev.seldonj.engine;

import dev.seldonj.engine.config.EngineConfig;
import dev.seldonj.engine.config.PodAnnotations;
import dev.seldonj.engine.config.PredictorSource;
import dev.seldonj.engine.exec.GraphExecutor;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.payloadlog.PayloadLogging;
import dev.seldonj.engine.plan.GraphPlan;
import dev.seldonj.engine.plan.PlanBuilder;
import dev.seldonj.engine.server.GraphMetadata;
import dev.seldonj.engine.server.NettyTransport;
import dev.seldonj.engine.server.NodesByName;
import dev.seldonj.engine.server.ReadinessCheck;
import dev.seldonj.engine.server.ResponseHeaders;
import dev.seldonj.engine.server.RestHandler;
import dev.seldonj.engine.server.RestRoutes;
import dev.seldonj.engine.server.RestServer;
import dev.seldonj.engine.server.SeldonGrpcService;
import dev.seldonj.engine.server.SeldonModelRoutes;
import dev.seldonj.engine.server.StaticDocs;
import dev.seldonj.engine.server.TensorflowGrpcService;
import dev.seldonj.engine.server.TensorflowRoutes;
import dev.seldonj.engine.server.V2Endpoints;
import dev.seldonj.engine.server.V2GrpcService;
import io.grpc.BindableService;
import java.util.List;
import java.util.Map;

/**
 * The graph's data plane: the immutable plan, the REST server on the shared event loops, and the gRPC
 * service the Micronaut-managed gRPC server exposes ({@link EngineFactory}). The event loops belong to
 * the caller.
 */
public final class Engine implements AutoCloseable {

  private final EngineConfig config;
  private final GraphPlan plan;
  private final RestServer rest;
  private final BindableService grpcService;
  private final PayloadLogging logging;

  private Engine(EngineConfig config, GraphPlan plan, RestServer rest, BindableService grpcService,
      PayloadLogging logging) {
    this.config = config;
    this.plan = plan;
    this.rest = rest;
    this.grpcService = grpcService;
    this.logging = logging;
  }

  /** Builds the plan and starts the REST server; throws naming the problem when the graph cannot run. */
  public static Engine start(PredictorSource.Loaded loaded, NettyTransport transport) {
    EngineConfig config = loaded.config().withAnnotations(
        PodAnnotations.read(loaded.config().annotationsPath()).withFallback(loaded.annotations()));
    Map<String, String> labels = loaded.predictor().getLabels();
    String version = labels == null ? "" : labels.getOrDefault("version", "");
    EngineMetrics metrics = new EngineMetrics(loaded.deploymentName(), loaded.predictor().getName(), version);
    GraphPlan plan = null;
    RestServer rest = null;
    PayloadLogging logging = new PayloadLogging(config, config.deploymentName(), config.predictorName().isEmpty()
        ? loaded.predictor().getName() : config.predictorName(), metrics);
    try {
      plan = new PlanBuilder(config, transport, metrics, logging).build(loaded.predictor());
      Predictions predictions = new Predictions(new GraphExecutor(plan));
      ReadinessCheck readiness = new ReadinessCheck(plan);
      GraphMetadata metadata = new GraphMetadata(plan, loaded.predictor().getName());
      NodesByName nodes = new NodesByName(plan);
      RestRoutes protocolRoutes = config.isV2() ? new V2Endpoints(predictions, readiness, nodes)
          : config.isTensorflow() ? new TensorflowRoutes(predictions, nodes, plan.root())
          : new SeldonModelRoutes(nodes, plan.root());
      dev.seldonj.engine.exec.MemoryBudget.global().setLimit(config.limits().memoryBudgetBytes());
      metrics.memoryBudget(dev.seldonj.engine.exec.MemoryBudget.global());
      rest = new RestServer(transport, config.httpPort(), config.maxBodyBytes(), new RestServer.ServerLimitsView(
          config.limits().headerReadTimeoutMs(), config.limits().idleTimeoutMs(), dev.seldonj.engine.exec.MemoryBudget.global()),
          new RestHandler(predictions, metrics, config.prometheusPath(), readiness, metadata, new StaticDocs(!config.isV2()),
              List.of(protocolRoutes), new ResponseHeaders(config)));
      BindableService service = config.isV2()
          ? new V2GrpcService(predictions, readiness, nodes, transport.group(), metrics)
          : config.isTensorflow() ? new TensorflowGrpcService(predictions, transport.group(), metrics)
          : new SeldonGrpcService(predictions, metadata, transport.group(), metrics);
      logging.serverStarted(rest.port());
      org.slf4j.LoggerFactory.getLogger(Engine.class).info("limits: {} MiB of request and answer bodies held at once, "
          + "REST bodies up to {} bytes, gRPC messages up to {} bytes; header read timeout {} ms, idle timeout {} ms",
          config.limits().memoryBudgetBytes() >> 20, config.maxBodyBytes(), config.grpcMaxMessageBytes(),
          config.limits().headerReadTimeoutMs(), config.limits().idleTimeoutMs());
      return new Engine(config, plan, rest, service, logging);
    } catch (RuntimeException e) {
      logging.close();
      if (rest != null) {
        rest.close();
      }
      if (plan != null) {
        plan.close();
      }
      throw e;
    }
  }

  public EngineConfig config() {
    return config;
  }

  public GraphPlan plan() {
    return plan;
  }

  public int httpPort() {
    return rest.port();
  }

  /** The graph's external gRPC service: {@code seldon.protos.Seldon}, or v2's {@code GRPCInferenceService}. */
  public BindableService grpcService() {
    return grpcService;
  }

  @Override
  public void close() {
    rest.close();
    logging.close();
    plan.close();
  }
}
