package dev.seldonj.engine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.message.JsonProblems;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.plan.GraphPlan;
import dev.seldonj.engine.plan.PlanNode;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /api/v1.0/metadata}: a SeldonGraphMetadata built from every node's {@code /metadata}
 * ({@code name}, {@code models}, and the root model's {@code inputs} and {@code outputs}).
 */
public final class GraphMetadata {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final GraphPlan plan;
    private final String predictorName;

    public GraphMetadata(GraphPlan plan, String predictorName) {
        this.plan = plan;
        this.predictorName = predictorName;
    }

    public CompletableFuture<byte[]> json(EventLoop loop) {
        RequestContext ctx = new RequestContext(RequestContext.newPuid(), List.of(), loop);
        List<PlanNode> nodes = plan.nodes();
        @SuppressWarnings("unchecked")
        CompletableFuture<byte[]>[] answers = new CompletableFuture[nodes.size()];
        for (int i = 0; i < answers.length; i++) {
            answers[i] = nodes.get(i).client().metadata(ctx);
        }
        return CompletableFuture.allOf(answers).thenApply(done -> {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("name", predictorName);
            ObjectNode models = root.putObject("models");
            for (int i = 0; i < answers.length; i++) {
                models.set(
                        nodes.get(i).name(),
                        parse(answers[i].join(), nodes.get(i).name()));
            }
            JsonNode rootModel = models.get(plan.root().name());
            root.set("inputs", rootModel.path("inputs").isArray() ? rootModel.get("inputs") : MAPPER.createArrayNode());
            root.set(
                    "outputs",
                    rootModel.path("outputs").isArray() ? rootModel.get("outputs") : MAPPER.createArrayNode());
            try {
                return MAPPER.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new EngineException(
                        EngineException.Kind.INTERNAL, "cannot write metadata: " + JsonProblems.describe(e));
            }
        });
    }

    /** One node's metadata, by node name. */
    public CompletableFuture<byte[]> model(String name, EventLoop loop) {
        for (PlanNode n : plan.nodes()) {
            if (n.name().equals(name)) {
                return n.client().metadata(new RequestContext(RequestContext.newPuid(), List.of(), loop));
            }
        }
        return CompletableFuture.failedFuture(
                new EngineException(EngineException.Kind.NOT_FOUND, "no node named '" + name + "' in the graph"));
    }

    private static JsonNode parse(byte[] json, String node) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw new EngineException(
                        EngineException.Kind.INVALID_RESPONSE,
                        "node '" + node + "' answered metadata that is " + "not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new EngineException(
                    EngineException.Kind.INVALID_RESPONSE,
                    "node '" + node + "' answered invalid metadata " + "JSON: " + JsonProblems.describe(e));
        }
    }
}
