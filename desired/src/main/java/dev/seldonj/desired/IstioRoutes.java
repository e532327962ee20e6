package dev.seldonj.desired;

import dev.seldonj.api.model.PredictorSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Istio routing for a whole SeldonDeployment (seldon-v1.md 2.6): one VirtualService {@code <sdep>}
 * splitting REST and gRPC traffic across predictors by weight (a shadow becomes a mirror), and one
 * DestinationRule per predictor Service selecting its {@code version} subset.
 */
final class IstioRoutes {

    static final String API_VERSION = "networking.istio.io/v1beta1";
    static final String ANNOTATION_HOST = "seldon.io/istio-host";
    static final String ANNOTATION_GATEWAY = "seldon.io/istio-gateway";
    static final String ANNOTATION_RETRIES = "seldon.io/istio-retries";
    static final String ANNOTATION_RETRIES_TIMEOUT = "seldon.io/istio-retries-timeout";
    static final String GRPC_REGEX = ".*tensorflow.*|.*seldon.protos.*|.*inference.*";

    private IstioRoutes() {}

    static List<GenericKubernetesResource> build(List<PredictorContext> predictors) {
        List<GenericKubernetesResource> objects = new ArrayList<>();
        PredictorContext first = predictors.get(0);
        objects.add(virtualService(first, predictors));
        for (PredictorContext ctx : predictors) {
            objects.add(destinationRule(ctx));
        }
        return objects;
    }

    private static GenericKubernetesResource virtualService(PredictorContext first, List<PredictorContext> predictors) {
        String ns = first.namespace();
        String sdep = first.sdepName();
        List<String> hosts = Arrays.stream(
                        first.annotation(ANNOTATION_HOST).orElse("*").split(","))
                .map(String::trim)
                .filter(h -> !h.isEmpty())
                .toList();
        String gateway = first.annotation(ANNOTATION_GATEWAY)
                .orElse(first.config().istio().gateway());

        Map<String, Object> httpRoute = new LinkedHashMap<>();
        httpRoute.put("match", List.of(Map.of("uri", Map.of("prefix", "/seldon/" + ns + "/" + sdep + "/"))));
        httpRoute.put("rewrite", Map.of("uri", "/"));
        httpRoute.put("route", destinations(predictors, first.config().engine().httpPort()));
        Map<String, Object> grpcRoute = new LinkedHashMap<>();
        grpcRoute.put(
                "match",
                List.of(Map.of(
                        "uri", Map.of("regex", GRPC_REGEX),
                        "headers", Map.of("seldon", Map.of("exact", sdep), "namespace", Map.of("exact", ns)))));
        grpcRoute.put("route", destinations(predictors, first.config().engine().grpcPort()));
        for (PredictorContext ctx : predictors) {
            if (ctx.shadow()) {
                mirror(ctx, httpRoute, first.config().engine().httpPort());
                mirror(ctx, grpcRoute, first.config().engine().grpcPort());
            }
        }
        first.intAnnotation(ANNOTATION_RETRIES).ifPresent(attempts -> {
            Map<String, Object> retries = Map.of(
                    "attempts",
                    attempts,
                    "perTryTimeout",
                    first.annotation(ANNOTATION_RETRIES_TIMEOUT).orElse("1s"),
                    "retryOn",
                    "gateway-error,connect-failure,refused-stream");
            httpRoute.put("retries", retries);
            grpcRoute.put("retries", retries);
        });
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("hosts", hosts);
        spec.put("gateways", List.of(gateway));
        spec.put("http", List.of(httpRoute, grpcRoute));
        return resource(first, "VirtualService", sdep, spec);
    }

    private static List<Map<String, Object>> destinations(List<PredictorContext> predictors, int port) {
        List<Map<String, Object>> route = new ArrayList<>();
        boolean single = predictors.stream().filter(p -> !p.shadow()).count() == 1;
        for (PredictorContext ctx : predictors) {
            if (ctx.shadow()) {
                continue;
            }
            Map<String, Object> destination = new LinkedHashMap<>();
            destination.put("destination", target(ctx, port));
            PredictorSpec p = ctx.predictor();
            destination.put("weight", single ? 100 : p.getTraffic() == null ? 0 : p.getTraffic());
            route.add(destination);
        }
        return route;
    }

    private static void mirror(PredictorContext ctx, Map<String, Object> route, int port) {
        route.put("mirror", target(ctx, port));
        Integer traffic = ctx.predictor().getTraffic();
        if (traffic != null && traffic > 0) {
            route.put("mirrorPercentage", Map.of("value", traffic));
        }
    }

    private static Map<String, Object> target(PredictorContext ctx, int port) {
        return Map.of("host", host(ctx), "subset", ctx.predictor().getName(), "port", Map.of("number", port));
    }

    private static String host(PredictorContext ctx) {
        return ctx.serviceName() + "." + ctx.namespace() + ".svc.cluster.local";
    }

    private static GenericKubernetesResource destinationRule(PredictorContext ctx) {
        Map<String, Object> policy = ctx.config().istio().tlsMode() == null
                        || ctx.config().istio().tlsMode().isEmpty()
                ? Map.of("connectionPool", Map.of("http", Map.of("idleTimeout", "60s")))
                : Map.of("tls", Map.of("mode", ctx.config().istio().tlsMode()));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("host", host(ctx));
        spec.put(
                "subsets",
                List.of(Map.of(
                        "name",
                        ctx.predictor().getName(),
                        "labels",
                        Map.of("version", ctx.predictor().getLabels().get("version")))));
        spec.put("trafficPolicy", policy);
        return resource(ctx, "DestinationRule", ctx.serviceName(), spec);
    }

    private static GenericKubernetesResource resource(
            PredictorContext ctx, String kind, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(kind)
                .withMetadata(KubeObjects.meta(ctx, name, ctx.baseLabels()))
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }
}
