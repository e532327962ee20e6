package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.local.gateway.Routes;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.ports.LocalPorts;
import dev.seldonj.local.testing.RenderedObjects;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoutesTest {

  private static final String YAML = """
      apiVersion: machinelearning.seldon.io/v1
      kind: SeldonDeployment
      metadata: {name: iris, namespace: ns}
      spec:
        predictors:
        - {name: a, traffic: 80, graph: {name: m, type: MODEL}, componentSpecs: [{spec: {containers: [{name: m, image: x}]}}]}
        - {name: b, traffic: 20, graph: {name: m, type: MODEL}, componentSpecs: [{spec: {containers: [{name: m, image: x}]}}]}
        - {name: s, shadow: true, graph: {name: m, type: MODEL}, componentSpecs: [{spec: {containers: [{name: m, image: x}]}}]}
      """;

  private final RunPlan plan = RunPlan.of(RenderedObjects.of(RenderedObjects.read(YAML)));
  private final AtomicInteger next = new AtomicInteger(20000);
  private final LocalPorts ports = LocalPorts.assign(plan, next::incrementAndGet);

  @Test
  void restRewritesThePrefixSplitsByWeightAndListsTheShadow() {
    Routes routes = Routes.of(plan.mappings(), ports, new Random(1));
    int b = 0;
    for (int i = 0; i < 1000; i++) {
      var choice = routes.rest("/seldon/ns/iris/api/v1.0/predictions", h -> null).orElseThrow();
      assertThat(choice.upstreamPath()).isEqualTo("/api/v1.0/predictions");
      assertThat(choice.shadows()).extracting(s -> s.mapping().name()).containsExactly("seldon-ns-iris-s-rest");
      b += choice.primary().mapping().name().equals("seldon-ns-iris-b-rest") ? 1 : 0;
    }
    assertThat(b).isBetween(150, 250);
  }

  @Test
  void theSameSeedMakesTheSameDecisions() {
    Routes first = Routes.of(plan.mappings(), ports, new Random(9));
    Routes second = Routes.of(plan.mappings(), ports, new Random(9));
    for (int i = 0; i < 50; i++) {
      assertThat(first.rest("/seldon/ns/iris/x", h -> null).orElseThrow().primary())
          .isEqualTo(second.rest("/seldon/ns/iris/x", h -> null).orElseThrow().primary());
    }
  }

  @Test
  void grpcNeedsTheSeldonAndNamespaceHeadersAndKeepsTheMethodPath() {
    Routes routes = Routes.of(plan.mappings(), ports, new Random(1));
    Map<String, String> headers = Map.of("seldon", "iris", "namespace", "ns");
    var choice = routes.grpc("/seldon.protos.Seldon/Predict", headers::get).orElseThrow();
    assertThat(choice.upstreamPath()).isEqualTo("/seldon.protos.Seldon/Predict");
    assertThat(choice.primary().port()).isNotEqualTo(0);
    assertThat(routes.grpc("/seldon.protos.Seldon/Predict", Map.of("seldon", "iris")::get)).isEmpty();
    assertThat(routes.grpc("/other.Service/Call", headers::get)).isEmpty();
    assertThat(routes.rest("/seldon/ns/other/api", h -> null)).isEmpty();
  }
}
