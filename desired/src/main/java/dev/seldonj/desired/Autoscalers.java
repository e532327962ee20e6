package dev.seldonj.desired;

import dev.seldonj.api.model.SeldonHpaSpec;
import dev.seldonj.api.model.SeldonPdbSpec;
import dev.seldonj.api.model.SeldonPodSpec;
import dev.seldonj.api.model.SeldonScaledObjectSpec;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-componentSpec scaling objects, named like the Deployment they target (seldon-v1.md 2.7):
 * an autoscaling/v2 HPA (v2beta1 metrics converted), a KEDA ScaledObject when KEDA is enabled (it
 * takes precedence over the HPA), and a policy/v1 PodDisruptionBudget.
 */
final class Autoscalers {

    static final String KEDA_API_VERSION = "keda.sh/v1alpha1";

    private Autoscalers() {}

    /** Scaling objects for componentSpec {@code index}, whose Deployment is {@code deployment}. */
    static List<HasMetadata> build(PredictorContext ctx, int index, Deployment deployment) {
        SeldonPodSpec pod = ctx.componentSpecs().get(index);
        String name = deployment.getMetadata().getName();
        List<HasMetadata> objects = new ArrayList<>();
        if (ctx.config().keda().enabled() && pod.getKedaSpec() != null) {
            objects.add(scaledObject(ctx, name, pod.getKedaSpec()));
        } else if (pod.getHpaSpec() != null) {
            objects.add(hpa(ctx, name, pod.getHpaSpec()));
        }
        if (pod.getPdbSpec() != null) {
            objects.add(pdb(
                    ctx,
                    name,
                    pod.getPdbSpec(),
                    deployment.getSpec().getSelector().getMatchLabels()));
        }
        return objects;
    }

    private static HorizontalPodAutoscaler hpa(PredictorContext ctx, String name, SeldonHpaSpec spec) {
        List<MetricSpec> metrics =
                spec.getMetricsv2() != null && !spec.getMetricsv2().isEmpty()
                        ? spec.getMetricsv2()
                        : HpaMetrics.toV2(spec.getMetrics());
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(KubeObjects.meta(ctx, name, ctx.baseLabels()))
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(name)
                .endScaleTargetRef()
                .withMinReplicas(spec.getMinReplicas())
                .withMaxReplicas(spec.getMaxReplicas())
                .withMetrics(metrics.isEmpty() ? null : metrics)
                .endSpec()
                .build();
    }

    private static GenericKubernetesResource scaledObject(
            PredictorContext ctx, String name, SeldonScaledObjectSpec keda) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("scaleTargetRef", Map.of("name", name));
        putIfSet(spec, "pollingInterval", keda.getPollingInterval());
        putIfSet(spec, "cooldownPeriod", keda.getCooldownPeriod());
        putIfSet(spec, "idleReplicaCount", keda.getIdleReplicaCount());
        putIfSet(spec, "minReplicaCount", keda.getMinReplicaCount());
        putIfSet(spec, "maxReplicaCount", keda.getMaxReplicaCount());
        putIfSet(spec, "advanced", keda.getAdvanced());
        putIfSet(spec, "fallback", keda.getFallback());
        spec.put("triggers", keda.getTriggers() == null ? List.of() : keda.getTriggers());
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(KEDA_API_VERSION)
                .withKind("ScaledObject")
                .withMetadata(KubeObjects.meta(ctx, name, ctx.baseLabels()))
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /** Selects the Deployment's own pods (Seldon selected every pod of the SeldonDeployment, a quirk not kept). */
    private static PodDisruptionBudget pdb(
            PredictorContext ctx, String name, SeldonPdbSpec spec, Map<String, String> selector) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(KubeObjects.meta(ctx, name, ctx.baseLabels()))
                .withNewSpec()
                .withMinAvailable(spec.getMinAvailable())
                .withMaxUnavailable(spec.getMaxUnavailable())
                .withNewSelector()
                .withMatchLabels(new LinkedHashMap<>(selector))
                .endSelector()
                .endSpec()
                .build();
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }
}
