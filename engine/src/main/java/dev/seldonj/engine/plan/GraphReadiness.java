package dev.seldonj.engine.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The engine is ready when every node answers: a TCP connect (REST) or a READY channel (gRPC). */
public final class GraphReadiness {

    private final GraphPlan plan;

    public GraphReadiness(GraphPlan plan) {
        this.plan = plan;
    }

    /** The nodes that are not ready, each with why; empty when all are. */
    public CompletableFuture<List<String>> check() {
        List<PlanNode> nodes = plan.nodes();
        @SuppressWarnings("unchecked")
        CompletableFuture<Boolean>[] probes = new CompletableFuture[nodes.size()];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = nodes.get(i).client().ready().exceptionally(e -> false);
        }
        return CompletableFuture.allOf(probes).thenApply(done -> {
            List<String> notReady = new ArrayList<>();
            for (int i = 0; i < probes.length; i++) {
                if (!probes[i].join()) {
                    notReady.add("node '" + nodes.get(i).name() + "' does not accept connections");
                }
            }
            return notReady;
        });
    }
}
