package dev.seldonj.desired;

import dev.seldonj.api.defaults.Defaulter;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.SeldonPodSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The predictor Service {@code <sdep>-<predictor>} (the entry point: the orchestrator's 8000/5001,
 * or the root model's ports with {@code seldon.io/no-engine}) and one Service per graph container
 * (seldon-v1.md section 2.4).
 */
final class Services {

    private Services() {}

    static String containerServiceName(PredictorContext ctx, String container) {
        return Defaulter.containerServiceName(ctx.sdepName(), ctx.predictor().getName(), container);
    }

    static List<Service> build(PredictorContext ctx) {
        List<Service> services = new ArrayList<>();
        services.add(predictorService(ctx));
        for (SeldonPodSpec pod : ctx.componentSpecs()) {
            if (pod.getSpec() == null) {
                continue;
            }
            for (Container c : pod.getSpec().getContainers()) {
                ctx.unitForContainer(c.getName()).ifPresent(unit -> services.add(containerService(ctx, unit)));
            }
        }
        return services;
    }

    private static Service predictorService(PredictorContext ctx) {
        int http = ctx.config().engine().httpPort();
        int grpc = ctx.config().engine().grpcPort();
        if (ctx.noEngine()) {
            PredictiveUnit root = ctx.predictor().getGraph();
            if (root.getEndpoint() != null && root.getEndpoint().getHttpPort() != null) {
                http = root.getEndpoint().getHttpPort();
                grpc = root.getEndpoint().getGrpcPort();
            }
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SeldonLabels.SELDON_APP, ctx.serviceName());
        labels.putAll(ctx.baseLabels());
        ObjectMeta meta = KubeObjects.meta(ctx, ctx.serviceName(), labels);
        meta.setAnnotations(
                ctx.predictorAnnotations().isEmpty() ? null : new LinkedHashMap<>(ctx.predictorAnnotations()));
        String headless = ctx.predictorAnnotations().get(SeldonLabels.ANNOTATION_HEADLESS_SVC);
        boolean isHeadless = headless != null && !"false".equals(headless);
        return new ServiceBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withType("ClusterIP")
                .withClusterIP(isHeadless ? "None" : null)
                .withSelector(Map.of(SeldonLabels.SELDON_APP, ctx.serviceName()))
                .withPorts(port("http", http), port("grpc", grpc))
                .withSessionAffinity("None")
                .endSpec()
                .build();
    }

    private static Service containerService(PredictorContext ctx, PredictiveUnit unit) {
        String name = containerServiceName(ctx, unit.getName());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(SeldonLabels.SELDON_APP, ctx.serviceName());
        labels.putAll(ctx.baseLabels());
        SeldonLabels.role(unit).ifPresent(role -> labels.put(role, "true"));
        return new ServiceBuilder()
                .withMetadata(KubeObjects.meta(ctx, name, labels))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Map.of(SeldonLabels.SELDON_APP_SVC_PREFIX + unit.getName(), name))
                .withPorts(
                        port("http", unit.getEndpoint().getHttpPort()),
                        port("grpc", unit.getEndpoint().getGrpcPort()))
                .withSessionAffinity("None")
                .endSpec()
                .build();
    }

    private static ServicePort port(String name, int number) {
        return new ServicePortBuilder()
                .withName(name)
                .withPort(number)
                .withTargetPort(new IntOrString(number))
                .withProtocol("TCP")
                .build();
    }
}
