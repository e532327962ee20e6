package dev.seldonj.compat;

import dev.seldonj.api.model.Endpoint;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.SeldonDeployment;

/**
 * Checks the contract's own plumbing before an engine exists: a one-node graph needs no orchestration,
 * and every component (Python or Java) serves the external paths SeldonClient's gateway "seldon" uses,
 * so the "engine" here is the graph's only node. The mixed graph needs a real engine and is left to
 * the engine module's subclass.
 */
class ContractSelfCheckIT extends EngineCompatibilityContract {

  @Override
  protected RunningEngine startEngine(SeldonDeployment deployment) {
    PredictiveUnit root = deployment.getSpec().getPredictors().get(0).getGraph();
    if (root.getChildren() != null && !root.getChildren().isEmpty()) {
      throw new IllegalArgumentException("the self-check serves one-node graphs only");
    }
    Endpoint e = root.getEndpoint();
    return new RunningEngine() {
      @Override
      public int httpPort() {
        return e.getHttpPort();
      }

      @Override
      public int grpcPort() {
        return e.getGrpcPort();
      }

      @Override
      public void close() {
        // the node belongs to the test
      }
    };
  }

  /** Needs orchestration: run by the engine module's subclass, not here. */
  @Override
  void runsAGraphMixingPythonAndJavaComponents(String transport) {
  }
}
