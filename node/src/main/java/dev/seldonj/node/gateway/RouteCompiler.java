package dev.seldonj.node.gateway;

import dev.seldonj.local.gateway.Endpoints;
import dev.seldonj.local.gateway.Routes;
import dev.seldonj.local.plan.RouteMapping;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns one snapshot of Mappings, Services and EndpointSlices into {@link Routes}. A Mapping that
 * cannot be read (no prefix, a bad weight or regex, a service that is no Service of this cluster) is
 * left out with one warning per version of it, so that it never takes the other routes down and a
 * rebuild on every informer event does not repeat the warning. Endpoints that did not change are
 * carried over from the previous build with their round-robin turn. Not thread-safe: one rebuild at
 * a time.
 */
final class RouteCompiler {

    /** The id this gateway answers to, as an Emissary installed without {@code AMBASSADOR_ID}. */
    static final String AMBASSADOR_ID = "default";

    private static final Comparator<GenericKubernetesResource> BY_NAME = Comparator.comparing(
                    (GenericKubernetesResource r) ->
                            String.valueOf(r.getMetadata().getNamespace()))
            .thenComparing(r -> String.valueOf(r.getMetadata().getName()));

    private final Random random;
    private final Consumer<String> warnings;
    private Set<String> warned = Set.of();
    private Map<ServiceRef, Endpoints> lastEndpoints = Map.of();

    /**
     * @param random decides traffic splits; shared by every generation of routes, so a seeded one
     *     gives a reproducible sequence of decisions
     * @param warnings where the one line per unreadable Mapping goes
     */
    RouteCompiler(Random random, Consumer<String> warnings) {
        this.random = random;
        this.warnings = warnings;
    }

    Routes compile(
            Collection<GenericKubernetesResource> mappings,
            Collection<Service> services,
            Collection<EndpointSlice> slices) {
        EndpointResolver resolver = new EndpointResolver(services, slices);
        // Sorted: the stores' order is a hash order, and the first unweighted Mapping of a route takes
        // the remainder of the traffic, so the outcome must not depend on it.
        List<GenericKubernetesResource> sorted =
                mappings.stream().sorted(BY_NAME).toList();
        List<RouteMapping> routed = new ArrayList<>();
        Map<RouteMapping, ServiceRef> refs = new IdentityHashMap<>();
        Set<String> stillWrong = new HashSet<>();
        for (GenericKubernetesResource resource : sorted) {
            if (!forThisGateway(resource)) {
                continue;
            }
            try {
                RouteMapping mapping =
                        RouteMapping.of(resource, resource.getMetadata().getNamespace());
                if (mapping.prefixRegex()) {
                    Pattern.compile(mapping.prefix());
                }
                refs.put(mapping, ServiceRef.parse(mapping.service(), mapping.namespace()));
                routed.add(mapping);
            } catch (IllegalArgumentException e) {
                String name = resource.getMetadata().getNamespace() + "/"
                        + resource.getMetadata().getName();
                String version = name + "@" + resource.getMetadata().getResourceVersion();
                stillWrong.add(version);
                if (!warned.contains(version)) {
                    warnings.accept("skipping Mapping " + name + ": " + reason(name, e));
                }
            }
        }
        // Forget what was fixed or deleted: the set stays as small as the number of broken Mappings.
        warned = Set.copyOf(stillWrong);
        Map<ServiceRef, Endpoints> endpoints = new HashMap<>();
        Routes routes = Routes.of(
                routed, m -> endpoints.computeIfAbsent(refs.get(m), ref -> reuse(ref, resolver.resolve(ref))), random);
        lastEndpoints = endpoints;
        return routes;
    }

    /**
     * The previous generation's Endpoints when they are the same upstreams, so that a rebuild for an
     * unrelated change does not restart the round-robin at the first pod.
     */
    private Endpoints reuse(ServiceRef ref, Endpoints resolved) {
        Endpoints previous = lastEndpoints.get(ref);
        return resolved.equals(previous) ? previous : resolved;
    }

    /** One line: a regex error's own message spans three (pattern, caret, description). */
    private static String reason(String name, IllegalArgumentException e) {
        if (e instanceof PatternSyntaxException regex) {
            return "spec.prefix " + regex.getPattern() + " is not a regular expression: " + regex.getDescription()
                    + " near index " + regex.getIndex();
        }
        String prefix = "Mapping " + name + ": ";
        String message = String.valueOf(e.getMessage());
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    /** Emissary ignores a Mapping whose {@code ambassador_id} does not name its own id. */
    private static boolean forThisGateway(GenericKubernetesResource resource) {
        Object spec = resource.getAdditionalProperties().get("spec");
        Object ids = spec instanceof Map<?, ?> map ? map.get("ambassador_id") : null;
        if (ids == null) {
            return true;
        }
        return ids instanceof Collection<?> list
                ? list.stream().anyMatch(AMBASSADOR_ID::equals)
                : AMBASSADOR_ID.equals(ids);
    }
}
