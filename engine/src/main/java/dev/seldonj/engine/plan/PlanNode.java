package dev.seldonj.engine.plan;

import dev.seldonj.engine.client.ComponentClient;
import dev.seldonj.engine.core.Step;
import dev.seldonj.engine.payloadlog.NodeLogger;

/**
 * One graph node resolved for execution: which steps it takes, who serves them, and its children.
 * Built once at start-up; requests only read it.
 *
 * @param inputStep PREDICT, TRANSFORM_INPUT, or null when the node passes its input through
 * @param image the container image recorded in {@code meta.requestPath}
 * @param logger the node's payload logger, or null when it logs nothing
 */
public record PlanNode(
        String name,
        String image,
        ComponentClient client,
        Step inputStep,
        boolean routes,
        boolean aggregates,
        boolean transformsOutput,
        boolean sendsFeedback,
        PlanNode[] children,
        NodeLogger logger) {

    public PlanNode(
            String name,
            String image,
            ComponentClient client,
            Step inputStep,
            boolean routes,
            boolean aggregates,
            boolean transformsOutput,
            boolean sendsFeedback,
            PlanNode[] children) {
        this(name, image, client, inputStep, routes, aggregates, transformsOutput, sendsFeedback, children, null);
    }

    public PlanNode withLogger(NodeLogger nodeLogger) {
        return new PlanNode(
                name,
                image,
                client,
                inputStep,
                routes,
                aggregates,
                transformsOutput,
                sendsFeedback,
                children,
                nodeLogger);
    }

    /**
     * Whether the node is one call and nothing else (the single-model graph), with no payload logger:
     * the executor's fast path for it would skip the logger.
     */
    public boolean singleStep() {
        return inputStep != null && children.length == 0 && !transformsOutput && logger == null;
    }
}
