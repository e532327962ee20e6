package dev.seldonj.engine;

import dev.seldonj.api.model.Transport;
import dev.seldonj.engine.config.EngineConfig;
import dev.seldonj.engine.config.KafkaConfig;
import dev.seldonj.engine.config.PodAnnotations;
import dev.seldonj.engine.config.PredictorSource;
import dev.seldonj.engine.config.TracingSettings;
import dev.seldonj.engine.core.MemoryBudget;
import dev.seldonj.engine.exec.GraphExecutor;
import dev.seldonj.engine.exec.Predictions;
import dev.seldonj.engine.kafka.KafkaServer;
import dev.seldonj.engine.message.NumberRuns;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.NettyTransport;
import dev.seldonj.engine.payloadlog.PayloadLogging;
import dev.seldonj.engine.plan.GraphPlan;
import dev.seldonj.engine.plan.GraphReadiness;
import dev.seldonj.engine.plan.PlanBuilder;
import dev.seldonj.engine.plan.PlanTracing;
import dev.seldonj.engine.server.EngineRestServer;
import dev.seldonj.engine.server.GraphMetadata;
import dev.seldonj.engine.server.NodesByName;
import dev.seldonj.engine.server.ResponseHeaders;
import dev.seldonj.engine.server.RestHandler;
import dev.seldonj.engine.server.RestRoutes;
import dev.seldonj.engine.server.SeldonGrpcService;
import dev.seldonj.engine.server.SeldonModelRoutes;
import dev.seldonj.engine.server.StaticDocs;
import dev.seldonj.engine.server.TensorflowGrpcService;
import dev.seldonj.engine.server.TensorflowRoutes;
import dev.seldonj.engine.server.V2Endpoints;
import dev.seldonj.engine.server.V2GrpcService;
import dev.seldonj.engine.tracing.EngineTracing;
import dev.seldonj.engine.tracing.TracingConfig;
import io.grpc.BindableService;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The graph's data plane: the immutable plan, the REST server on the shared event loops, and the gRPC
 * service the Micronaut-managed gRPC server exposes ({@link EngineFactory}). The event loops belong to
 * the caller.
 */
public final class Engine implements AutoCloseable {

    private final EngineConfig config;
    private final GraphPlan plan;
    private final EngineRestServer rest;
    private final BindableService grpcService;
    private final PayloadLogging logging;
    private final EngineTracing tracing;
    private KafkaServer kafka;

    private Engine(
            EngineConfig config,
            GraphPlan plan,
            EngineRestServer rest,
            BindableService grpcService,
            PayloadLogging logging,
            EngineTracing tracing) {
        this.config = config;
        this.plan = plan;
        this.rest = rest;
        this.grpcService = grpcService;
        this.logging = logging;
        this.tracing = tracing;
    }

    /** Builds the plan and starts the REST server; throws naming the problem when the graph cannot run. */
    public static Engine start(PredictorSource.Loaded loaded, NettyTransport transport) {
        return start(loaded, transport, new TracingSettings().toConfig(), KafkaConfig.NONE);
    }

    /** As {@link #start(PredictorSource.Loaded, NettyTransport)}, tracing requests as {@code tracingConfig} says. */
    public static Engine start(PredictorSource.Loaded loaded, NettyTransport transport, TracingConfig tracingConfig) {
        return start(loaded, transport, tracingConfig, KafkaConfig.NONE);
    }

    /**
     * As {@link #start(PredictorSource.Loaded, NettyTransport)}, with Kafka: payload logging to a topic, and with
     * {@code --server_type kafka} the input topic served beside REST and gRPC (as Seldon's executor).
     */
    public static Engine start(PredictorSource.Loaded loaded, NettyTransport transport, KafkaConfig kafka) {
        return start(loaded, transport, new TracingSettings().toConfig(), kafka);
    }

    /** Builds the plan, starts the REST server and, with {@code --server_type kafka}, the Kafka server. */
    public static Engine start(
            PredictorSource.Loaded loaded, NettyTransport transport, TracingConfig tracingConfig, KafkaConfig kafka) {
        EngineConfig config = loaded.config()
                .withAnnotations(
                        PodAnnotations.read(loaded.config().annotationsPath()).withFallback(loaded.annotations()));
        Map<String, String> labels = loaded.predictor().getLabels();
        String version = labels == null ? "" : labels.getOrDefault("version", "");
        EngineMetrics metrics =
                new EngineMetrics(loaded.deploymentName(), loaded.predictor().getName(), version);
        GraphPlan plan = null;
        EngineRestServer rest = null;
        String predictorName =
                config.predictorName().isEmpty() ? loaded.predictor().getName() : config.predictorName();
        PayloadLogging logging = new PayloadLogging(config, config.deploymentName(), predictorName, metrics, kafka);
        EngineTracing tracing = EngineTracing.start(
                tracingConfig, loaded.deploymentName(), loaded.predictor().getName(), config.namespace());
        try {
            plan = PlanTracing.instrument(
                    new PlanBuilder(config, transport, metrics, logging).build(loaded.predictor()),
                    loaded.predictor(),
                    config.transport() == Transport.GRPC,
                    tracing);
            Predictions predictions = new Predictions(new GraphExecutor(plan), tracing);
            GraphReadiness readiness = new GraphReadiness(plan);
            GraphMetadata metadata = new GraphMetadata(plan, loaded.predictor().getName());
            NodesByName nodes = new NodesByName(plan);
            RestRoutes protocolRoutes = config.isV2()
                    ? new V2Endpoints(predictions, readiness, nodes)
                    : config.isTensorflow()
                            ? new TensorflowRoutes(predictions, nodes, plan.root())
                            : new SeldonModelRoutes(nodes, plan.root());
            MemoryBudget.global().setLimit(config.limits().memoryBudgetBytes());
            metrics.memoryBudget(MemoryBudget.global());
            rest = new EngineRestServer(
                    transport,
                    config.httpPort(),
                    config.maxBodyBytes(),
                    new EngineRestServer.ServerLimitsView(
                            config.limits().headerReadTimeoutMs(),
                            config.limits().idleTimeoutMs(),
                            MemoryBudget.global()),
                    new RestHandler(
                            predictions,
                            metrics,
                            config.prometheusPath(),
                            readiness,
                            metadata,
                            new StaticDocs(!config.isV2()),
                            List.of(protocolRoutes),
                            new ResponseHeaders(config)));
            BindableService service = config.isV2()
                    ? new V2GrpcService(predictions, readiness, nodes, transport.group(), metrics)
                    : config.isTensorflow()
                            ? new TensorflowGrpcService(predictions, transport.group(), metrics)
                            : new SeldonGrpcService(predictions, metadata, transport.group(), metrics);
            logging.serverStarted(rest.port());
            LoggerFactory.getLogger(Engine.class)
                    .info(
                            "limits: {} MiB of request and answer bodies held at once, "
                                    + "REST bodies up to {} bytes, gRPC messages up to {} bytes; header read timeout {} ms, idle timeout {} ms; "
                                    + "JSON payload arrays checked {}",
                            config.limits().memoryBudgetBytes() >> 20,
                            config.maxBodyBytes(),
                            config.grpcMaxMessageBytes(),
                            config.limits().headerReadTimeoutMs(),
                            config.limits().idleTimeoutMs(),
                            NumberRuns.description());
            Engine engine = new Engine(config, plan, rest, service, logging, tracing);
            if (kafka.server() != null) {
                // Seldon's consumer group: <predictor>.<deployment>.<namespace>.
                engine.kafka = KafkaServer.start(
                        kafka.server(),
                        kafka.security(),
                        predictorName + "." + config.deploymentName() + "." + config.namespace(),
                        predictions,
                        readiness,
                        transport.group(),
                        metrics,
                        config.transport() == Transport.GRPC);
            }
            return engine;
        } catch (RuntimeException e) {
            logging.close();
            tracing.close();
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
        if (kafka != null) {
            kafka.close(); // first: records in flight still need the clients and the loops
        }
        rest.close();
        logging.close();
        plan.close();
        tracing.close();
    }
}
