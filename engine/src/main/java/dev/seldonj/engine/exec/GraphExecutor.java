package dev.seldonj.engine.exec;

import dev.seldonj.engine.core.EngineException;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.message.FeedbackMessage;
import dev.seldonj.engine.message.Message;
import dev.seldonj.engine.message.RequestContext;
import dev.seldonj.engine.payloadlog.NodeLogger;
import dev.seldonj.engine.plan.GraphPlan;
import dev.seldonj.engine.plan.PlanNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a request through the plan with Seldon's semantics: per node transform-input (or predict),
 * route, children (concurrently when the route is -1), aggregate, transform-output; the first error
 * ends the request. Feedback walks the same tree along the routing recorded in the response. A node
 * with a payload logger logs the input and output of its transform and aggregate calls, and feedback.
 */
public final class GraphExecutor {

    /** Routing value: send to every child. */
    public static final int ALL_CHILDREN = -1;
    /** Routing value: stop here, return the node's own output. */
    public static final int STOP = -2;

    private final GraphPlan plan;

    public GraphExecutor(GraphPlan plan) {
        this.plan = plan;
    }

    public GraphPlan plan() {
        return plan;
    }

    public CompletableFuture<Message> predict(Message request, RequestContext ctx) {
        ctx.absorb(request.meta());
        PlanNode root = plan.root();
        if (root.singleStep()) {
            // The whole graph is one call: its answer is the final message, whose meta the answer's writer
            // merges, so no stage of our own is chained to the call. Not taken when the node has a payload
            // logger (singleStep()), whose request and response events step() writes.
            ctx.visited(root.name(), root.image());
            ctx.deferFinalMeta();
            return root.client().transform(root.inputStep(), request, ctx);
        }
        return run(root, request, ctx);
    }

    /** Runs the part of the graph under {@code start} (the tensorflow protocol names the model to start from). */
    public CompletableFuture<Message> predict(PlanNode start, Message request, RequestContext ctx) {
        ctx.absorb(request.meta());
        return run(start, request, ctx);
    }

    private CompletableFuture<Message> run(PlanNode node, Message input, RequestContext ctx) {
        CompletableFuture<Message> f = node.inputStep() == null
                ? CompletableFuture.completedFuture(input)
                : step(node, node.inputStep(), input, ctx);
        if (node.children().length > 0) {
            f = f.thenCompose(m -> children(node, m, ctx));
        }
        if (node.transformsOutput()) {
            f = f.thenCompose(m -> step(node, Step.TRANSFORM_OUTPUT, m, ctx));
        }
        return f;
    }

    private CompletableFuture<Message> step(PlanNode node, Step step, Message input, RequestContext ctx) {
        ctx.visited(node.name(), node.image());
        NodeLogger log = node.logger();
        if (log != null) {
            log.request(input, ctx);
        }
        return node.client().transform(step, input, ctx).thenApply(out -> {
            ctx.absorb(out.meta());
            if (log != null) {
                log.response(out, ctx);
            }
            return out;
        });
    }

    private CompletableFuture<Message> children(PlanNode node, Message input, RequestContext ctx) {
        CompletableFuture<Integer> route =
                node.routes() ? node.client().route(input, ctx) : CompletableFuture.completedFuture(ALL_CHILDREN);
        if (node.routes()) {
            ctx.visited(node.name(), node.image());
        }
        return route.thenCompose(branch -> {
            ctx.routed(node.name(), branch);
            PlanNode[] children = node.children();
            if (branch == STOP) {
                return CompletableFuture.completedFuture(input);
            }
            if (branch == ALL_CHILDREN) {
                if (children.length == 1) {
                    return run(children[0], input, ctx).thenCompose(out -> combine(node, input, List.of(out), ctx));
                }
                @SuppressWarnings("unchecked")
                CompletableFuture<Message>[] results = new CompletableFuture[children.length];
                for (int i = 0; i < children.length; i++) {
                    results[i] = run(children[i], input, ctx);
                }
                return CompletableFuture.allOf(results).thenCompose(done -> {
                    List<Message> outs = new ArrayList<>(results.length);
                    for (CompletableFuture<Message> r : results) {
                        outs.add(r.join());
                    }
                    return combine(node, input, outs, ctx);
                });
            }
            if (branch < 0 || branch >= children.length) {
                return CompletableFuture.failedFuture(new EngineException(
                        EngineException.Kind.INVALID_ROUTING,
                        "router '" + node.name() + "' chose branch " + branch + " but has " + children.length
                                + " children"));
            }
            return run(children[branch], input, ctx).thenCompose(out -> combine(node, input, List.of(out), ctx));
        });
    }

    private CompletableFuture<Message> combine(
            PlanNode node, Message input, List<Message> outputs, RequestContext ctx) {
        if (!node.aggregates()) {
            return CompletableFuture.completedFuture(outputs.get(0));
        }
        ctx.visited(node.name(), node.image());
        NodeLogger log = node.logger();
        if (log != null) {
            // As Seldon's executor: the aggregate's request event is the node's input, not the children's outputs.
            log.request(input, ctx);
        }
        return node.client().aggregate(outputs, ctx).thenApply(out -> {
            ctx.absorb(out.meta());
            if (log != null) {
                log.response(out, ctx);
            }
            return out;
        });
    }

    /** Sends feedback down the branches the prediction took; answers with the root's own feedback answer. */
    public CompletableFuture<Message> feedback(FeedbackMessage feedback, RequestContext ctx) {
        return feedback(plan.root(), feedback, ctx);
    }

    private CompletableFuture<Message> feedback(PlanNode node, FeedbackMessage fb, RequestContext ctx) {
        if (node.logger() != null) {
            node.logger().feedback(fb, ctx);
        }
        List<CompletableFuture<Message>> children = new ArrayList<>();
        PlanNode[] kids = node.children();
        if (kids.length > 0) {
            int branch = fb.routing(node.name());
            if (branch >= 0 && branch < kids.length) {
                children.add(feedback(kids[branch], fb, ctx));
            } else if (branch != STOP) {
                for (PlanNode k : kids) {
                    children.add(feedback(k, fb, ctx));
                }
            }
        }
        if (node.sendsFeedback()) {
            // The answer's meta names every component that took the feedback, as a prediction's does.
            ctx.visited(node.name(), node.image());
        }
        CompletableFuture<Message> self = !node.sendsFeedback()
                ? null
                : node.client().sendFeedback(fb, ctx).thenApply(out -> {
                    if (out != null) {
                        ctx.absorb(out.meta());
                    }
                    return out;
                });
        List<CompletableFuture<Message>> all = new ArrayList<>(children);
        if (self != null) {
            all.add(self);
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            if (self != null) {
                return self.join();
            }
            return children.isEmpty() ? null : children.get(0).join();
        });
    }
}
