package dev.seldonj.engine.plan;

import java.util.List;

/** The immutable execution plan of a predictor's graph: its root and every node (for readiness, metadata). */
public record GraphPlan(PlanNode root, List<PlanNode> nodes) {

    public void close() {
        nodes.forEach(n -> n.client().close());
    }
}
