package dev.seldonj.local.plan;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An Emissary {@code getambassador.io} Mapping, reduced to what routing needs.
 *
 * @param namespace the Mapping's namespace (its service resolves there when unqualified)
 * @param name the Mapping's name
 * @param prefix the path prefix, or a regular expression when {@code prefixRegex}
 * @param prefixRegex whether {@code prefix} is a regular expression matched against the whole path
 * @param rewrite what replaces the prefix (Emissary's default is {@code /}); ignored for gRPC
 * @param service {@code host[:port]} of the upstream Service ({@code <svc>.<ns>:8000})
 * @param weight percentage of the traffic for this prefix, or null (the remainder)
 * @param shadow whether requests are mirrored here and the answer discarded
 * @param grpc whether this Mapping routes gRPC (HTTP/2) calls
 * @param headers request headers that must all match exactly
 */
public record RouteMapping(
        String namespace,
        String name,
        String prefix,
        boolean prefixRegex,
        String rewrite,
        String service,
        Integer weight,
        boolean shadow,
        boolean grpc,
        Map<String, String> headers) {

    private static final String GROUP_PREFIX = "getambassador.io/";

    public String qualifiedName() {
        return namespace + "/" + name;
    }

    /** Whether an object is an Emissary Mapping, of any {@code getambassador.io} version (v2 and v3alpha1 share these fields). */
    public static boolean isMapping(HasMetadata object) {
        return "Mapping".equals(object.getKind())
                && object.getApiVersion() != null
                && object.getApiVersion().startsWith(GROUP_PREFIX);
    }

    /**
     * Reads a Mapping's routing fields.
     *
     * @param defaultNamespace the namespace of a Mapping whose metadata names none
     * @throws IllegalArgumentException naming the Mapping and the field, if a field routing needs is missing or mistyped
     */
    public static RouteMapping of(GenericKubernetesResource resource, String defaultNamespace) {
        String namespace = Optional.ofNullable(resource.getMetadata().getNamespace())
                .filter(s -> !s.isEmpty())
                .orElse(defaultNamespace);
        String name = resource.getMetadata().getName();
        String where = "Mapping " + namespace + "/" + name;
        Object specValue = resource.getAdditionalProperties().getOrDefault("spec", Map.of());
        if (!(specValue instanceof Map<?, ?> spec)) {
            throw new IllegalArgumentException(where + ": spec is not an object");
        }
        Object prefix = spec.get("prefix");
        Object service = spec.get("service");
        if (prefix == null || service == null) {
            throw new IllegalArgumentException(where + ": spec.prefix and spec.service are required");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        Object headerValue = spec.get("headers");
        if (headerValue instanceof Map<?, ?> map) {
            map.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
        } else if (headerValue != null) {
            throw new IllegalArgumentException(where + ": spec.headers is not an object");
        }
        return new RouteMapping(
                namespace,
                name,
                prefix.toString(),
                Boolean.TRUE.equals(spec.get("prefix_regex")),
                spec.get("rewrite") == null ? "/" : spec.get("rewrite").toString(),
                service.toString(),
                weight(where, spec.get("weight")),
                Boolean.TRUE.equals(spec.get("shadow")),
                Boolean.TRUE.equals(spec.get("grpc")),
                Map.copyOf(headers));
    }

    private static Integer weight(String where, Object weight) {
        if (weight == null || weight instanceof Integer) {
            return (Integer) weight;
        }
        if (weight instanceof Number n && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        try {
            return Integer.valueOf(weight.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": spec.weight '" + weight + "' is not an integer", e);
        }
    }
}
