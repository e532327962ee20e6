package dev.seldonj.engine.plan;

import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.graph.Implementations;
import dev.seldonj.api.model.Endpoint;
import dev.seldonj.api.model.EndpointType;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.engine.client.TracedClient;
import dev.seldonj.engine.tracing.EngineTracing;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** Puts a {@link TracedClient} in front of every node's client, once, at start-up. */
public final class PlanTracing {

    private PlanTracing() {}

    /**
     * The plan with traced clients, or the plan itself when tracing is off.
     *
     * @param grpcByDefault whether nodes whose endpoint names no type are served over gRPC ({@code --transport})
     */
    public static GraphPlan instrument(
            GraphPlan plan, PredictorSpec predictor, boolean grpcByDefault, EngineTracing tracing) {
        if (!tracing.enabled()) {
            return plan;
        }
        Map<String, PredictiveUnit> units = new HashMap<>();
        collect(predictor.getGraph(), units);
        Map<PlanNode, PlanNode> traced = new IdentityHashMap<>();
        PlanNode root = wrap(plan.root(), units, grpcByDefault, traced);
        List<PlanNode> nodes =
                plan.nodes().stream().map(n -> traced.getOrDefault(n, n)).toList();
        return new GraphPlan(root, nodes);
    }

    private static PlanNode wrap(
            PlanNode n, Map<String, PredictiveUnit> units, boolean grpcByDefault, Map<PlanNode, PlanNode> traced) {
        PlanNode[] children = new PlanNode[n.children().length];
        for (int i = 0; i < children.length; i++) {
            children[i] = wrap(n.children()[i], units, grpcByDefault, traced);
        }
        PredictiveUnit u = units.get(n.name());
        String impl = u == null ? null : u.getImplementation();
        TracedClient.Transport transport;
        String host = "";
        int port = 0;
        if (u == null || Implementations.isBuiltIn(impl)) {
            transport = TracedClient.Transport.BUILTIN;
        } else {
            Endpoint e = u.getEndpoint();
            boolean grpc = e != null && e.getType() != null ? e.getType() == EndpointType.GRPC : grpcByDefault;
            transport = grpc ? TracedClient.Transport.GRPC : TracedClient.Transport.REST;
            if (e != null) {
                host = e.getServiceHost() == null || e.getServiceHost().isEmpty() ? "localhost" : e.getServiceHost();
                Integer p = grpc ? e.getGrpcPort() : e.getHttpPort();
                port = p == null || p == 0 ? (e.getServicePort() == null ? 0 : e.getServicePort()) : p;
            }
        }
        String type = u == null || u.getType() == null
                ? (u != null && (u.getMethods() == null || u.getMethods().isEmpty()) ? "MODEL" : "UNKNOWN_TYPE")
                : u.getType().name();
        PlanNode w = new PlanNode(
                n.name(),
                n.image(),
                new TracedClient(n.client(), n.name(), type, impl, transport, host, port),
                n.inputStep(),
                n.routes(),
                n.aggregates(),
                n.transformsOutput(),
                n.sendsFeedback(),
                children,
                n.logger());
        traced.put(n, w);
        return w;
    }

    private static void collect(PredictiveUnit u, Map<String, PredictiveUnit> units) {
        if (u == null) {
            return;
        }
        units.put(u.getName(), u);
        for (PredictiveUnit c : Graph.children(u)) {
            collect(c, units);
        }
    }
}
