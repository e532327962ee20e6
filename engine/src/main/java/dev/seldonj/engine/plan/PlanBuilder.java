package dev.seldonj.engine.plan;

import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.graph.Implementations;
import dev.seldonj.api.model.Endpoint;
import dev.seldonj.api.model.EndpointType;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictiveUnitMethod;
import dev.seldonj.api.model.PredictiveUnitType;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.SeldonPodSpec;
import dev.seldonj.api.model.Transport;
import dev.seldonj.engine.client.ComponentClient;
import dev.seldonj.engine.client.GrpcComponentClient;
import dev.seldonj.engine.client.GrpcTensorflowComponentClient;
import dev.seldonj.engine.client.GrpcV2ComponentClient;
import dev.seldonj.engine.client.HttpConnectionPool;
import dev.seldonj.engine.client.RestComponentClient;
import dev.seldonj.engine.client.RestProtocol;
import dev.seldonj.engine.client.TcpProbe;
import dev.seldonj.engine.client.builtin.BuiltInAverageCombiner;
import dev.seldonj.engine.client.builtin.EpsilonGreedy;
import dev.seldonj.engine.client.builtin.RandomAbTest;
import dev.seldonj.engine.client.builtin.SimpleModel;
import dev.seldonj.engine.client.builtin.SimpleRouter;
import dev.seldonj.engine.client.builtin.ThompsonSampling;
import dev.seldonj.engine.config.EngineConfig;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.metrics.EngineMetrics;
import dev.seldonj.engine.net.NettyTransport;
import dev.seldonj.engine.payloadlog.PayloadLogging;
import io.fabric8.kubernetes.api.model.Container;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a predictor's graph into a {@link GraphPlan}: for each node, the steps its type,
 * methods or built-in implementation call for, and the client that serves them. Any problem is an
 * {@link IllegalArgumentException} naming the node, raised at start-up rather than per request.
 */
public final class PlanBuilder {

    private final EngineConfig config;
    private final NettyTransport transport;
    private final EngineMetrics metrics;
    private final PayloadLogging logging;
    private String firstRestNode;
    private String firstGrpcNode;

    public PlanBuilder(EngineConfig config, NettyTransport transport, EngineMetrics metrics, PayloadLogging logging) {
        this.config = config;
        this.transport = transport;
        this.metrics = metrics;
        this.logging = logging;
    }

    public GraphPlan build(PredictorSpec predictor) {
        List<PlanNode> all = new ArrayList<>();
        try {
            PlanNode root = node(predictor, predictor.getGraph(), all);
            checkTensorflowTransports();
            return new GraphPlan(root, List.copyOf(all));
        } catch (RuntimeException e) {
            all.forEach(n -> n.client().close());
            throw e;
        }
    }

    /**
     * TF REST JSON carries no data types, so a REST step's answer cannot become a gRPC step's tensors
     * (Seldon's executor does not mix transports either).
     */
    private void checkTensorflowTransports() {
        if (config.isTensorflow() && firstRestNode != null && firstGrpcNode != null) {
            throw new IllegalArgumentException("tensorflow graph: node '" + firstRestNode + "' is REST and node '"
                    + firstGrpcNode + "' is gRPC; TF REST JSON carries no data types to build gRPC tensors from, so a "
                    + "tensorflow graph's nodes must all use one transport");
        }
    }

    private PlanNode node(PredictorSpec predictor, PredictiveUnit u, List<PlanNode> all) {
        if (u.getName() == null || u.getName().isEmpty()) {
            throw new IllegalArgumentException("a graph node has no name");
        }
        List<PredictiveUnit> childUnits = Graph.children(u);
        PlanNode[] children = new PlanNode[childUnits.size()];
        for (int i = 0; i < children.length; i++) {
            children[i] = node(predictor, childUnits.get(i), all);
        }
        String impl = u.getImplementation();
        PlanNode n = Implementations.isBuiltIn(impl) ? builtIn(u, impl, children) : remote(predictor, u, children);
        if (u.getLogger() != null) {
            n = n.withLogger(logging.forNode(u));
        }
        all.add(n);
        return n;
    }

    private PlanNode builtIn(PredictiveUnit u, String impl, PlanNode[] children) {
        String name = u.getName();
        int c = children.length;
        return switch (impl) {
            case Implementations.SIMPLE_MODEL ->
                new PlanNode(name, impl, new SimpleModel(name), Step.PREDICT, false, false, false, false, children);
            case Implementations.SIMPLE_ROUTER -> router(name, impl, new SimpleRouter(name), children, false);
            case Implementations.RANDOM_ABTEST ->
                router(name, impl, new RandomAbTest(name, u.getParameters(), c), children, false);
            case Implementations.EPSILON_GREEDY ->
                router(name, impl, new EpsilonGreedy(name, u.getParameters(), c), children, true);
            case Implementations.THOMPSON_SAMPLING ->
                router(name, impl, new ThompsonSampling(name, u.getParameters(), c), children, true);
            case Implementations.AVERAGE_COMBINER -> {
                if (c == 0) {
                    throw new IllegalArgumentException("node '" + name + "': AVERAGE_COMBINER needs children");
                }
                yield new PlanNode(
                        name, impl, new BuiltInAverageCombiner(name), null, false, true, false, false, children);
            }
            default -> throw new IllegalArgumentException("node '" + name + "': unknown built-in " + impl);
        };
    }

    private static PlanNode router(
            String name, String impl, ComponentClient client, PlanNode[] children, boolean learns) {
        if (children.length == 0) {
            throw new IllegalArgumentException("node '" + name + "': " + impl + " needs children");
        }
        return new PlanNode(name, impl, client, null, true, false, false, learns, children);
    }

    private PlanNode remote(PredictorSpec predictor, PredictiveUnit u, PlanNode[] children) {
        String name = u.getName();
        PredictiveUnitType type = u.getType();
        List<PredictiveUnitMethod> methods = u.getMethods() == null ? List.of() : u.getMethods();
        if (type == null && methods.isEmpty()) {
            type = PredictiveUnitType.MODEL;
        }
        if (type == null) {
            type = PredictiveUnitType.UNKNOWN_TYPE;
        }
        Step input = type == PredictiveUnitType.MODEL
                ? Step.PREDICT
                : type == PredictiveUnitType.TRANSFORMER || methods.contains(PredictiveUnitMethod.TRANSFORM_INPUT)
                        ? Step.TRANSFORM_INPUT
                        : null;
        boolean routes = type == PredictiveUnitType.ROUTER || methods.contains(PredictiveUnitMethod.ROUTE);
        boolean aggregates = type == PredictiveUnitType.COMBINER || methods.contains(PredictiveUnitMethod.AGGREGATE);
        boolean transformsOutput = type == PredictiveUnitType.OUTPUT_TRANSFORMER
                || methods.contains(PredictiveUnitMethod.TRANSFORM_OUTPUT);
        boolean feedback = type == PredictiveUnitType.MODEL
                || type == PredictiveUnitType.ROUTER
                || methods.contains(PredictiveUnitMethod.SEND_FEEDBACK);
        String image = image(predictor, name);
        boolean grpc = grpc(u);
        if (grpc && config.protocol() != Protocol.SELDON && (routes || aggregates)) {
            throw new IllegalArgumentException(
                    "node '" + name + "': a " + config.protocol().wireName() + " gRPC node can "
                            + "only predict or transform (its gRPC service has no route or aggregate call); serve it over REST");
        }
        if (config.isTensorflow() || grpc && config.isV2()) {
            // As Seldon's executor: TF Serving and v2 gRPC servers have no feedback call.
            feedback = false;
        }
        return new PlanNode(
                name,
                image,
                client(u, type, image, grpc),
                input,
                routes,
                aggregates,
                transformsOutput,
                feedback,
                children);
    }

    private boolean grpc(PredictiveUnit u) {
        Endpoint e = u.getEndpoint();
        if (e == null) {
            throw new IllegalArgumentException(
                    "node '" + u.getName() + "' has no endpoint (the SeldonDeployment was not " + "defaulted?)");
        }
        return e.getType() != null ? e.getType() == EndpointType.GRPC : config.transport() == Transport.GRPC;
    }

    private ComponentClient client(PredictiveUnit u, PredictiveUnitType type, String image, boolean grpc) {
        String name = u.getName();
        Endpoint e = u.getEndpoint();
        String host = e.getServiceHost() == null || e.getServiceHost().isEmpty() ? "localhost" : e.getServiceHost();
        Integer port = grpc ? e.getGrpcPort() : e.getHttpPort();
        if (port == null || port == 0) {
            port = e.getServicePort();
        }
        if (port == null || port <= 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "node '" + name + "' has no " + (grpc ? "gRPC" : "HTTP") + " port in its endpoint");
        }
        EngineMetrics.Client m = metrics.client(name, image, version(image), grpc);
        if (grpc) {
            firstGrpcNode = firstGrpcNode == null ? name : firstGrpcNode;
            return switch (RestProtocol.of(config.protocol())) {
                case SELDON ->
                    new GrpcComponentClient(
                            name,
                            type,
                            host,
                            port,
                            transport,
                            config.grpcTimeoutMs(),
                            config.grpcMaxMessageBytes(),
                            config.connectTimeoutMs(),
                            m);
                case V2 ->
                    new GrpcV2ComponentClient(
                            name,
                            host,
                            port,
                            transport,
                            config.grpcTimeoutMs(),
                            config.grpcMaxMessageBytes(),
                            config.connectTimeoutMs(),
                            m);
                case TENSORFLOW ->
                    new GrpcTensorflowComponentClient(
                            name,
                            host,
                            port,
                            transport,
                            config.grpcTimeoutMs(),
                            config.grpcMaxMessageBytes(),
                            config.connectTimeoutMs(),
                            m);
            };
        }
        firstRestNode = firstRestNode == null ? name : firstRestNode;
        HttpConnectionPool pool = new HttpConnectionPool(
                name, host, port, transport, config.maxBodyBytes(), config.connectTimeoutMs(), config.restTimeoutMs());
        TcpProbe probe = new TcpProbe(host, port, transport, config.connectTimeoutMs());
        return new RestComponentClient(
                name, pool, probe, config.formEncoded(name), RestProtocol.of(config.protocol()), m);
    }

    private static String image(PredictorSpec predictor, String container) {
        if (predictor.getComponentSpecs() != null) {
            for (SeldonPodSpec spec : predictor.getComponentSpecs()) {
                if (spec == null || spec.getSpec() == null || spec.getSpec().getContainers() == null) {
                    continue;
                }
                for (Container c : spec.getSpec().getContainers()) {
                    if (container.equals(c.getName()) && c.getImage() != null) {
                        return c.getImage();
                    }
                }
            }
        }
        return "";
    }

    private static String version(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }
}
