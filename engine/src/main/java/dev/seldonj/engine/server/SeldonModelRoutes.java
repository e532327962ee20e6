package dev.seldonj.engine.server;

import dev.seldonj.engine.plan.PlanNode;
import io.netty.handler.codec.http.HttpMethod;

/**
 * Seldon's per-model routes (v1.0 and v0.1): {@code GET /api/v1.0/status/{model}} (the node's
 * {@code /health/status}), {@code /api/v1.0/metadata/{model}} (the node's {@code /metadata}), and
 * {@code /api/v1.0/status} or {@code /api/v1.0/health/status}: the status of the graph's root node.
 */
public final class SeldonModelRoutes implements RestRoutes {

    private static final String V10 = "/api/v1.0/";
    private static final String V01 = "/api/v0.1/";

    private final NodeForwarding forwarding;
    private final PlanNode root;

    public SeldonModelRoutes(NodesByName nodes, PlanNode root) {
        this.forwarding = new NodeForwarding(nodes);
        this.root = root;
    }

    @Override
    public boolean serves(String path) {
        String rest = rest(path);
        return rest != null
                && (rest.equals("status")
                        || rest.equals("health/status")
                        || model(rest, "status/") != null
                        || model(rest, "metadata/") != null);
    }

    @Override
    public void handle(Exchange ex, String path) {
        String tail = rest(path);
        String service = tail.startsWith("metadata/") ? "metadata" : "status";
        if (!ex.requireMethod(HttpMethod.GET, service)) {
            return;
        } else if (tail.equals("status") || tail.equals("health/status")) {
            forwarding.rootStatus(ex, root);
        } else if (service.equals("metadata")) {
            forwarding.metadata(ex, model(tail, "metadata/"));
        } else {
            forwarding.status(ex, model(tail, "status/"));
        }
    }

    private static String rest(String path) {
        return path.startsWith(V10)
                ? path.substring(V10.length())
                : path.startsWith(V01) ? path.substring(V01.length()) : null;
    }

    /** The model name after {@code prefix}: one non-empty path segment. */
    private static String model(String rest, String prefix) {
        if (!rest.startsWith(prefix) || rest.length() == prefix.length() || rest.indexOf('/', prefix.length()) >= 0) {
            return null;
        }
        return rest.substring(prefix.length());
    }
}
