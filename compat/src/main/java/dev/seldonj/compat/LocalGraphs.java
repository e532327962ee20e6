package dev.seldonj.compat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import java.util.List;

/**
 * SeldonDeployments whose graph nodes are components already running on this machine (Python
 * microservices, Java {@code SeldonServer}s): every node's {@code endpoint} points at
 * {@code 127.0.0.1} and its ports, so an orchestrator can be started on the graph without a cluster.
 */
public final class LocalGraphs {

    private LocalGraphs() {}

    /**
     * A running component as a graph node: its name, Seldon type (MODEL, TRANSFORMER, ...), the image a
     * cluster would run for it (it becomes the node's container) and the ports it listens on.
     */
    public record Node(String name, String type, String image, int httpPort, int grpcPort) {}

    /** A node and the nodes under it, for graphs that are not chains (a router over models, a combiner). */
    public record Unit(Node node, List<Unit> children) {
        public Unit {
            children = List.copyOf(children);
        }

        public static Unit of(Node node, Unit... children) {
            return new Unit(node, List.of(children));
        }
    }

    /**
     * A one-predictor SeldonDeployment whose graph is the chain {@code nodes[0] -> nodes[1] -> ...} (each
     * node the only child of the one before), over {@code transport} ({@code rest} or {@code grpc}),
     * validated by the project's validator.
     */
    public static SeldonDeployment chain(String name, String transport, List<Node> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a graph needs at least one node");
        }
        Unit chain = Unit.of(nodes.get(nodes.size() - 1));
        for (int i = nodes.size() - 2; i >= 0; i--) {
            chain = Unit.of(nodes.get(i), chain);
        }
        return graph(name, transport, chain);
    }

    /**
     * A one-predictor SeldonDeployment whose graph is the tree under {@code root}, over {@code transport}
     * ({@code rest} or {@code grpc}); one container per node, in depth-first order; validated by the
     * project's validator.
     */
    public static SeldonDeployment graph(String name, String transport, Unit root) {
        boolean grpc = transport.equals("grpc");
        ObjectNode sdep = Manifests.mapper()
                .createObjectNode()
                .put("apiVersion", "machinelearning.seldon.io/v1")
                .put("kind", "SeldonDeployment");
        sdep.putObject("metadata").put("name", name).put("namespace", "default");
        ObjectNode spec = sdep.putObject("spec");
        spec.put("transport", grpc ? "grpc" : "rest").put("protocol", "seldon");
        ObjectNode predictor =
                spec.putArray("predictors").addObject().put("name", "default").put("replicas", 1);
        ArrayNode containers = predictor
                .putArray("componentSpecs")
                .addObject()
                .putObject("spec")
                .putArray("containers");
        predictor.set("graph", unit(root, grpc, containers));
        return SeldonDeploymentValidator.withDefaults().validate(sdep).orThrow(name);
    }

    private static ObjectNode unit(Unit u, boolean grpc, ArrayNode containers) {
        Node n = u.node();
        containers.addObject().put("name", n.name()).put("image", n.image());
        ObjectNode unit =
                Manifests.mapper().createObjectNode().put("name", n.name()).put("type", n.type());
        unit.putObject("endpoint")
                .put("service_host", "127.0.0.1")
                .put("service_port", grpc ? n.grpcPort() : n.httpPort())
                .put("httpPort", n.httpPort())
                .put("grpcPort", n.grpcPort())
                .put("type", grpc ? "GRPC" : "REST");
        ArrayNode children = unit.putArray("children");
        u.children().forEach(child -> children.add(unit(child, grpc, containers)));
        return unit;
    }
}
