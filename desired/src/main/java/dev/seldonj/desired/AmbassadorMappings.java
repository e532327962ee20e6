package dev.seldonj.desired;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Emissary-ingress {@code getambassador.io/v3alpha1} Mappings for a predictor (Seldon's ambassador v2
 * code moved to v3alpha1, seldon-v1.md 2.5 and Appendix B): REST under {@code /seldon/<ns>/<sdep>/},
 * gRPC routed by the {@code seldon} and {@code namespace} headers, {@code weight} = traffic on every
 * predictor but the first, {@code shadow} for a shadow. {@code hostname: "*"} because v3alpha1 routes
 * nothing for a Mapping without a matching host.
 */
final class AmbassadorMappings {

    static final String API_VERSION = "getambassador.io/v3alpha1";
    static final String KIND = "Mapping";
    static final String GRPC_PREFIX = "/(seldon.protos.*|tensorflow.serving.*|inference.*)/.*";
    static final String ANNOTATION_REST_TIMEOUT = "seldon.io/rest-timeout";
    static final String ANNOTATION_GRPC_TIMEOUT = "seldon.io/grpc-timeout";
    static final String ANNOTATION_SERVICE_NAME = "seldon.io/ambassador-service-name";
    static final String ANNOTATION_HEADER = "seldon.io/ambassador-header";
    static final String ANNOTATION_REGEX_HEADER = "seldon.io/ambassador-regex-header";
    static final String ANNOTATION_ID = "seldon.io/ambassador-id";
    static final String ANNOTATION_RETRIES = "seldon.io/ambassador-retries";
    static final String ANNOTATION_CIRCUIT_BREAKER_PREFIX = "seldon.io/ambassador-circuit-breakers-";
    static final int DEFAULT_TIMEOUT_MS = 3000;
    static final int IDLE_TIMEOUT_THRESHOLD_MS = 300_000;

    private AmbassadorMappings() {}

    static List<GenericKubernetesResource> build(PredictorContext ctx) {
        List<GenericKubernetesResource> mappings = new ArrayList<>();
        String ext = ctx.annotation(ANNOTATION_SERVICE_NAME).orElse(ctx.sdepName());
        String ns = ctx.namespace();
        String base =
                "seldon-" + ns + "-" + ctx.sdepName() + "-" + ctx.predictor().getName();
        mappings.add(rest(ctx, base + "-rest", "/seldon/" + ns + "/" + ext + "/"));
        mappings.add(grpc(ctx, base + "-grpc", ext, ns));
        if (ctx.predictor().getExplainer() != null
                && ctx.predictor().getExplainer().getType() != null) {
            // Seldon's explainer route: /seldon/<ns>/<sdep>-explainer/<predictor>/ to the explainer Service.
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("hostname", "*");
            spec.put(
                    "prefix",
                    "/seldon/" + ns + "/" + ext + "-explainer/"
                            + ctx.predictor().getName() + "/");
            spec.put("rewrite", "/");
            spec.put("service", Explainers.name(ctx) + "." + ns + ":" + Explainers.PORT);
            spec.put("timeout_ms", timeout(ctx, ANNOTATION_REST_TIMEOUT));
            mappings.add(mapping(ctx, base + "-explainer", spec));
        }
        if (ctx.config().ambassador().singleNamespace()) {
            String plain = "seldon-" + ctx.sdepName() + "-" + ctx.predictor().getName();
            mappings.add(rest(ctx, plain + "-rest", "/seldon/" + ext + "/"));
            mappings.add(grpc(ctx, plain + "-grpc", ext, null));
        }
        return mappings;
    }

    private static GenericKubernetesResource rest(PredictorContext ctx, String name, String prefix) {
        int timeout = timeout(ctx, ANNOTATION_REST_TIMEOUT);
        Map<String, Object> spec = common(ctx, prefix, ctx.config().engine().httpPort(), timeout);
        spec.put("rewrite", "/");
        return mapping(ctx, name, spec);
    }

    private static GenericKubernetesResource grpc(PredictorContext ctx, String name, String ext, String namespace) {
        int timeout = timeout(ctx, ANNOTATION_GRPC_TIMEOUT);
        Map<String, Object> spec =
                common(ctx, GRPC_PREFIX, ctx.config().engine().grpcPort(), timeout);
        spec.put("prefix_regex", true);
        spec.put("rewrite", "");
        spec.put("grpc", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> headers = (Map<String, Object>) spec.computeIfAbsent("headers", k -> new LinkedHashMap<>());
        headers.put("seldon", ext);
        if (namespace != null) {
            headers.put("namespace", namespace);
        }
        return mapping(ctx, name, spec);
    }

    private static Map<String, Object> common(PredictorContext ctx, String prefix, int port, int timeout) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("hostname", "*");
        spec.put("prefix", prefix);
        spec.put("service", ctx.serviceName() + "." + ctx.namespace() + ":" + port);
        spec.put("timeout_ms", timeout);
        if (timeout > IDLE_TIMEOUT_THRESHOLD_MS) {
            spec.put("idle_timeout_ms", timeout);
        }
        if (ctx.index() > 0 || ctx.shadow()) {
            spec.put(
                    "weight",
                    ctx.predictor().getTraffic() == null ? 0 : ctx.predictor().getTraffic());
        }
        if (ctx.shadow()) {
            spec.put("shadow", true);
        }
        ctx.annotation(ANNOTATION_HEADER).ifPresent(value -> matchHeader(spec, value, false));
        ctx.annotation(ANNOTATION_REGEX_HEADER).ifPresent(value -> matchHeader(spec, value, true));
        ctx.annotation(ANNOTATION_ID).ifPresent(id -> spec.put("ambassador_id", List.of(id)));
        ctx.intAnnotation(ANNOTATION_RETRIES)
                .ifPresent(retries ->
                        spec.put("retry_policy", Map.of("retry_on", "gateway-error", "num_retries", retries)));
        Map<String, Object> breaker = new LinkedHashMap<>();
        for (String limit : List.of("max-connections", "max-pending-requests", "max-requests", "max-retries")) {
            ctx.intAnnotation(ANNOTATION_CIRCUIT_BREAKER_PREFIX + limit)
                    .ifPresent(v -> breaker.put(limit.replace('-', '_'), v));
        }
        if (!breaker.isEmpty()) {
            spec.put("circuit_breakers", List.of(breaker));
        }
        return spec;
    }

    /**
     * {@code name:value} (a regex for the regex annotation, read as written: Seldon read the wrong one)
     * or a bare {@code name}, meaning any value. Emissary v3's {@code headers} holds strings only (its
     * CRD refuses v2's {@code true}), so "any value" is written as {@code regex_headers: {name: ".*"}}.
     * Added to the Mapping's header matches, never replacing the gRPC routing headers.
     */
    @SuppressWarnings("unchecked")
    private static void matchHeader(Map<String, Object> spec, String annotation, boolean regex) {
        int colon = annotation.indexOf(':');
        String name = (colon < 0 ? annotation : annotation.substring(0, colon)).trim();
        String value = colon < 0 ? ".*" : annotation.substring(colon + 1).trim();
        String field = regex || colon < 0 ? "regex_headers" : "headers";
        ((Map<String, Object>) spec.computeIfAbsent(field, k -> new LinkedHashMap<>())).put(name, value);
    }

    private static int timeout(PredictorContext ctx, String annotation) {
        return ctx.intAnnotation(annotation).orElse(DEFAULT_TIMEOUT_MS);
    }

    private static GenericKubernetesResource mapping(PredictorContext ctx, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withMetadata(KubeObjects.meta(ctx, name, ctx.baseLabels()))
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }
}
