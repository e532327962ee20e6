package dev.seldonj.engine.plan;

import dev.seldonj.engine.client.ComponentClient;
import dev.seldonj.engine.client.Step;

/**
 * One graph node resolved for execution: which steps it takes, who serves them, and its children.
 * Built once at start-up; requests only read it.
 *
 * @param inputStep PREDICT, TRANSFORM_INPUT, or null when the node passes its input through
 * @param image the container image recorded in {@code meta.requestPath}
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
    PlanNode[] children) {

  /** Whether the node is one call and nothing else (the single-model graph). */
  public boolean singleStep() {
    return inputStep != null && children.length == 0 && !transformsOutput;
  }
}
