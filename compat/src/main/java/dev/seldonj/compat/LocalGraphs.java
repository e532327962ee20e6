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

  /**
   * A one-predictor SeldonDeployment whose graph is the chain {@code nodes[0] -> nodes[1] -> ...} (each
   * node the only child of the one before), over {@code transport} ({@code rest} or {@code grpc}),
   * validated by the project's validator.
   */
  public static SeldonDeployment chain(String name, String transport, List<Node> nodes) {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a graph needs at least one node");
    }
    boolean grpc = transport.equals("grpc");
    ObjectNode graph = null;
    for (int i = nodes.size() - 1; i >= 0; i--) {
      Node n = nodes.get(i);
      ObjectNode unit = Manifests.mapper().createObjectNode().put("name", n.name()).put("type", n.type());
      unit.putObject("endpoint").put("service_host", "127.0.0.1")
          .put("service_port", grpc ? n.grpcPort() : n.httpPort())
          .put("httpPort", n.httpPort()).put("grpcPort", n.grpcPort()).put("type", grpc ? "GRPC" : "REST");
      ArrayNode children = unit.putArray("children");
      if (graph != null) {
        children.add(graph);
      }
      graph = unit;
    }
    ObjectNode sdep = Manifests.mapper().createObjectNode()
        .put("apiVersion", "machinelearning.seldon.io/v1").put("kind", "SeldonDeployment");
    sdep.putObject("metadata").put("name", name).put("namespace", "default");
    ObjectNode spec = sdep.putObject("spec");
    spec.put("transport", grpc ? "grpc" : "rest").put("protocol", "seldon");
    ObjectNode predictor = spec.putArray("predictors").addObject().put("name", "default").put("replicas", 1);
    ArrayNode containers = predictor.putArray("componentSpecs").addObject().putObject("spec").putArray("containers");
    nodes.forEach(n -> containers.addObject().put("name", n.name()).put("image", n.image()));
    predictor.set("graph", graph);
    return SeldonDeploymentValidator.withDefaults().validate(sdep).orThrow(name);
  }
}
