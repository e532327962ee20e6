package dev.seldonj.node.gateway;

import static dev.seldonj.node.gateway.ClusterObjects.mapping;
import static dev.seldonj.node.gateway.ClusterObjects.ports;
import static dev.seldonj.node.gateway.ClusterObjects.restMapping;
import static dev.seldonj.node.gateway.ClusterObjects.service;
import static dev.seldonj.node.gateway.ClusterObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.local.gateway.Routes;
import dev.seldonj.local.gateway.Upstream;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RouteCompilerTest {

    private final List<String> warnings = new ArrayList<>();
    private final RouteCompiler compiler = new RouteCompiler(new Random(1), warnings::add);
    private final List<Service> services = List.of(service("models", "iris", 8000, 5001));
    private final List<EndpointSlice> slices =
            List.of(slice("models", "iris-a", "iris", ports("http", 8000), true, "10.244.100.5"));
    private final GenericKubernetesResource good =
            restMapping("models", "good", "/seldon/models/iris/", "iris.models:8000", null, false);

    private Routes compile(GenericKubernetesResource... mappings) {
        return compiler.compile(List.of(mappings), services, slices);
    }

    @Test
    void anUnreadableMappingIsSkippedWithOneWarningAndTheOthersStillRoute() {
        List<GenericKubernetesResource> broken = List.of(
                mapping("models", "no-service", Map.of("prefix", "/a/")),
                mapping("models", "bad-weight", Map.of("prefix", "/b/", "service", "iris:8000", "weight", "lots")),
                mapping(
                        "models",
                        "bad-regex",
                        Map.of("prefix", "/(unclosed", "prefix_regex", true, "service", "iris:8000")),
                mapping("models", "tls", Map.of("prefix", "/d/", "service", "https://iris:8000")),
                mapping("models", "outside", Map.of("prefix", "/e/", "service", "api.example.com:443")));
        List<GenericKubernetesResource> all = new ArrayList<>(broken);
        all.add(good);
        Routes routes = compiler.compile(all, services, slices);

        assertThat(routes.restPrefixes()).containsExactly("/seldon/models/iris/");
        assertThat(routes.rest("/seldon/models/iris/api/v1.0/predictions", h -> null)
                        .orElseThrow()
                        .primary()
                        .endpoints()
                        .all())
                .containsExactly(new Upstream("10.244.100.5", 8000));
        assertThat(warnings).hasSize(5).allMatch(w -> w.startsWith("skipping Mapping models/"));
        assertThat(warnings.get(0))
                .isEqualTo("skipping Mapping models/bad-regex: spec.prefix /(unclosed is not a regular "
                        + "expression: Unclosed group near index 10");
        assertThat(warnings).allMatch(w -> !w.contains("\n"));
        assertThat(warnings)
                .anySatisfy(w -> assertThat(w).contains("bad-weight").contains("'lots' is not an integer"))
                .anySatisfy(w -> assertThat(w)
                        .isEqualTo("skipping Mapping models/no-service: spec.prefix and spec.service are required"))
                .anySatisfy(w -> assertThat(w).contains("outside").contains("is not a Service of this cluster"));

        // Rebuilt on the next informer event: no second warning for the same versions.
        compiler.compile(all, services, slices);
        assertThat(warnings).hasSize(5);
        // A new version of a broken Mapping is worth a new warning.
        GenericKubernetesResource edited = new GenericKubernetesResourceBuilder(broken.get(0))
                .editMetadata()
                .withResourceVersion("2")
                .endMetadata()
                .build();
        compile(edited, good);
        assertThat(warnings).hasSize(6);
    }

    @Test
    void aMappingForAnotherAmbassadorIdIsNotRouted() {
        GenericKubernetesResource other = mapping(
                "models", "edge", Map.of("prefix", "/edge/", "service", "iris:8000", "ambassador_id", List.of("edge")));
        GenericKubernetesResource mine = mapping(
                "models",
                "mine",
                Map.of("prefix", "/mine/", "service", "iris:8000", "ambassador_id", List.of("edge", "default")));
        GenericKubernetesResource v2Spelling =
                mapping("models", "v2", Map.of("prefix", "/v2/", "service", "iris:8000", "ambassador_id", "default"));
        assertThat(compile(other, mine, v2Spelling).restPrefixes()).containsExactlyInAnyOrder("/mine/", "/v2/");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aMappingWhoseServiceHasNoPodsStillMatchesAndSaysWhy() {
        Routes routes = compile(restMapping("models", "lonely", "/lonely/", "nobody.models:8000", null, false));
        var choice = routes.rest("/lonely/x", h -> null).orElseThrow();
        assertThat(choice.primary().endpoints().next()).isEmpty();
        assertThat(choice.primary().endpoints().unavailableReason()).isEqualTo("no Service models/nobody");
    }

    @Test
    void theOrderOfTheStoreDoesNotChangeWhichMappingTakesTheRemainder() {
        GenericKubernetesResource main = restMapping("models", "a-main", "/p/", "iris.models:8000", null, false);
        GenericKubernetesResource canary = restMapping("models", "b-canary", "/p/", "iris.models:8000", 25, false);
        Routes one = new RouteCompiler(new Random(3), warnings::add).compile(List.of(main, canary), services, slices);
        Routes other = new RouteCompiler(new Random(3), warnings::add).compile(List.of(canary, main), services, slices);
        for (int i = 0; i < 100; i++) {
            assertThat(one.rest("/p/", h -> null)
                            .orElseThrow()
                            .primary()
                            .mapping()
                            .name())
                    .isEqualTo(other.rest("/p/", h -> null)
                            .orElseThrow()
                            .primary()
                            .mapping()
                            .name());
        }
    }

    @Test
    void aRebuildForAnotherChangeKeepsTheRoundRobinTurn() {
        List<EndpointSlice> twoPods =
                List.of(slice("models", "iris-a", "iris", ports("http", 8000), true, "10.244.100.5", "10.244.100.6"));
        Routes first = compiler.compile(List.of(good), services, twoPods);
        assertThat(first.rest("/seldon/models/iris/", h -> null)
                        .orElseThrow()
                        .primary()
                        .endpoints()
                        .next())
                .hasValue(new Upstream("10.244.100.5", 8000));
        GenericKubernetesResource unrelated =
                restMapping("models", "other", "/other/", "iris.models:8000", null, false);
        Routes second = compiler.compile(List.of(good, unrelated), services, twoPods);
        assertThat(second.rest("/seldon/models/iris/", h -> null)
                        .orElseThrow()
                        .primary()
                        .endpoints()
                        .next())
                .hasValue(new Upstream("10.244.100.6", 8000));
        // A pod more: a new set, taken from the start.
        Routes third = compiler.compile(
                List.of(good),
                services,
                List.of(slice(
                        "models",
                        "iris-a",
                        "iris",
                        ports("http", 8000),
                        true,
                        "10.244.100.5",
                        "10.244.100.6",
                        "10.244.100.7")));
        assertThat(third.rest("/seldon/models/iris/", h -> null)
                        .orElseThrow()
                        .primary()
                        .endpoints()
                        .next())
                .hasValue(new Upstream("10.244.100.5", 8000));
    }
}
