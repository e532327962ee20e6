package dev.seldonj.engine.server;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.plan.GraphPlan;
import dev.seldonj.engine.plan.PlanNode;
import java.util.HashMap;
import java.util.Map;

/** The graph's nodes by name, for the routes whose path names a model; built once at start-up. */
public final class NodesByName {

    private final Map<String, PlanNode> nodes = new HashMap<>();
    private final PlanNode root;

    public NodesByName(GraphPlan plan) {
        this.root = plan.root();
        for (PlanNode n : plan.nodes()) {
            nodes.put(n.name(), n);
        }
    }

    /** The node requests enter the graph at (the one asked for the server's metadata). */
    public PlanNode root() {
        return root;
    }

    /** The node named {@code name}; a 404 naming the graph's nodes when there is none. */
    public PlanNode get(String name) {
        PlanNode n = nodes.get(name);
        if (n == null) {
            throw new EngineException(
                    EngineException.Kind.NOT_FOUND,
                    "no model named '" + name + "' in the graph (its " + "nodes: "
                            + nodes.keySet().stream().sorted().toList() + ")");
        }
        return n;
    }
}
