package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.local.gateway.Endpoints;
import dev.seldonj.local.gateway.Routes;
import dev.seldonj.local.gateway.Upstream;
import dev.seldonj.local.plan.RouteMapping;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.ports.LocalPorts;
import dev.seldonj.local.testing.RenderedObjects;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
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
            var choice = routes.rest("/seldon/ns/iris/api/v1.0/predictions", h -> null)
                    .orElseThrow();
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
                    .isEqualTo(second.rest("/seldon/ns/iris/x", h -> null)
                            .orElseThrow()
                            .primary());
        }
    }

    @Test
    void grpcNeedsTheSeldonAndNamespaceHeadersAndKeepsTheMethodPath() {
        Routes routes = Routes.of(plan.mappings(), ports, new Random(1));
        Map<String, String> headers = Map.of("seldon", "iris", "namespace", "ns");
        var choice = routes.grpc("/seldon.protos.Seldon/Predict", headers::get).orElseThrow();
        assertThat(choice.upstreamPath()).isEqualTo("/seldon.protos.Seldon/Predict");
        String[] service = choice.primary().mapping().service().split("[.:]");
        assertThat(choice.primary().endpoints().next())
                .hasValue(Upstream.loopback(
                        ports.resolveService("ns", service[0], Integer.parseInt(service[service.length - 1]))
                                .port()));
        assertThat(routes.grpc("/seldon.protos.Seldon/Predict", Map.of("seldon", "iris")::get))
                .isEmpty();
        assertThat(routes.grpc("/other.Service/Call", headers::get)).isEmpty();
        assertThat(routes.rest("/seldon/ns/other/api", h -> null)).isEmpty();
    }

    @Test
    void mappingsWithOtherHeadersAreAnotherSplitAndTheMoreSpecificOneWins() {
        // Seldon's single-namespace option adds gRPC Mappings matched by `seldon` alone next to those
        // matched by `seldon` and `namespace`; as in Emissary they are two routes, not one split.
        String grpc = "/(seldon.protos.*|tensorflow.serving.*|inference.*)/.*";
        Map<String, String> both = Map.of("seldon", "iris", "namespace", "ns");
        Map<String, String> seldonOnly = Map.of("seldon", "iris");
        List<RouteMapping> mappings = List.of(
                new RouteMapping(
                        "ns", "plain-main", grpc, true, "", "plain-main.ns:5001", null, false, true, seldonOnly),
                new RouteMapping(
                        "ns", "plain-canary", grpc, true, "", "plain-canary.ns:5001", 25, false, true, seldonOnly),
                new RouteMapping("ns", "main", grpc, true, "", "main.ns:5001", null, false, true, both),
                new RouteMapping("ns", "canary", grpc, true, "", "canary.ns:5001", 25, false, true, both));
        AtomicInteger port = new AtomicInteger(30000);
        Routes routes =
                Routes.of(mappings, m -> Endpoints.of(Upstream.loopback(port.incrementAndGet())), new Random(5));
        Set<String> chosen = new TreeSet<>();
        for (int i = 0; i < 200; i++) {
            chosen.add(routes.grpc("/seldon.protos.Seldon/Predict", both::get)
                    .orElseThrow()
                    .primary()
                    .mapping()
                    .name());
        }
        assertThat(chosen).containsExactly("canary", "main");
        chosen.clear();
        for (int i = 0; i < 200; i++) {
            chosen.add(routes.grpc("/seldon.protos.Seldon/Predict", seldonOnly::get)
                    .orElseThrow()
                    .primary()
                    .mapping()
                    .name());
        }
        assertThat(chosen).containsExactly("plain-canary", "plain-main");
        assertThat(routes.grpcHeaders()).containsExactly(both, seldonOnly);
    }

    @Test
    void aMappingWithoutUpstreamStillMatchesAndCarriesTheReason() {
        RouteMapping lonely =
                new RouteMapping("ns", "lonely", "/lonely/", false, "/", "gone.ns:8000", null, false, false, Map.of());
        Routes routes = Routes.of(List.of(lonely), m -> Endpoints.none("no Service ns/gone"), new Random(1));
        var choice = routes.rest("/lonely/api", h -> null).orElseThrow();
        assertThat(choice.upstreamPath()).isEqualTo("/api");
        assertThat(choice.primary().endpoints().next()).isEmpty();
        assertThat(choice.primary().endpoints().unavailableReason()).isEqualTo("no Service ns/gone");
        assertThat(routes.upstreams()).isEmpty();
    }
}
