package dev.seldonj.desired;

import dev.seldonj.api.graph.Implementations;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.Parameter;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.SeldonPodSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The predictor's Deployments (seldon-v1.md section 2.2): one per componentSpec, the orchestrator
 * injected into the first (or into its own {@code -svc-orch} Deployment), every graph container
 * given Seldon's ports, env, probes and model download.
 */
final class Deployments {

    private Deployments() {}

    static List<Deployment> build(PredictorContext ctx) {
        List<Deployment> deployments = new ArrayList<>();
        for (int i = 0; i < ctx.componentSpecs().size(); i++) {
            deployments.add(component(ctx, i));
        }
        if (ctx.engineInOwnPod()) {
            deployments.add(engineOnly(ctx));
        }
        return deployments;
    }

    /** Whether componentSpec {@code index} gets an autoscaler (then Seldon leaves replicas unset). */
    static boolean autoscaled(PredictorContext ctx, SeldonPodSpec pod) {
        return pod.getHpaSpec() != null || (ctx.config().keda().enabled() && pod.getKedaSpec() != null);
    }

    private static Deployment component(PredictorContext ctx, int index) {
        SeldonPodSpec component = ctx.componentSpecs().get(index);
        String name = ctx.deploymentName(index);
        PodSpec pod = component.getSpec() == null
                ? new PodSpec()
                : Manifests.mapper().convertValue(Manifests.toTree(component.getSpec()), PodSpec.class);

        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(SeldonLabels.SELDON_ID, ctx.sdepName());
        Map<String, String> roles = new LinkedHashMap<>();
        for (Container c : new ArrayList<>(pod.getContainers())) {
            PredictiveUnit unit = ctx.unitForContainer(c.getName()).orElse(null);
            if (unit == null) {
                continue;
            }
            wireGraphContainer(ctx, pod, c, unit);
            selector.put(
                    SeldonLabels.SELDON_APP_SVC_PREFIX + c.getName(), Services.containerServiceName(ctx, c.getName()));
            SeldonLabels.role(unit).ifPresent(role -> roles.put(role, "true"));
            if (ctx.noEngine() && unit == ctx.predictor().getGraph()) {
                selector.put(SeldonLabels.SELDON_APP, ctx.serviceName());
            }
        }
        PodDefaults.apply(pod, ctx.config().defaultUserId());
        boolean withEngine = index == 0 && ctx.engineInFirstPod();
        if (withEngine) {
            List<Container> containers = new ArrayList<>(pod.getContainers());
            containers.add(EngineContainer.build(ctx));
            pod.setContainers(containers);
            selector.put(SeldonLabels.SELDON_APP, ctx.serviceName());
        }
        PredictorTls.apply(ctx, pod);

        Map<String, String> labels = new LinkedHashMap<>(ctx.baseLabels());
        labels.put(SeldonLabels.APP, name);
        labels.put(SeldonLabels.FLUENTD, "true");
        labels.putAll(ctx.predictor().getLabels());
        if (component.getMetadata() != null && component.getMetadata().getLabels() != null) {
            labels.putAll(component.getMetadata().getLabels());
        }
        labels.putAll(roles);
        if (ctx.shadow()) {
            labels.put(SeldonLabels.ROLE_SHADOW, "true");
        }
        if (withEngine) {
            labels.put(SeldonLabels.CONTAINS_SVCORCH, "true");
        }
        Map<String, String> podLabels = new LinkedHashMap<>(labels);
        podLabels.putAll(selector);

        Map<String, String> annotations = new LinkedHashMap<>(ctx.specAnnotations());
        annotations.putAll(ctx.predictorAnnotations());
        if (component.getMetadata() != null && component.getMetadata().getAnnotations() != null) {
            annotations.putAll(component.getMetadata().getAnnotations());
        }
        Integer replicas = autoscaled(ctx, component) ? null : ctx.replicas(component);
        return deployment(ctx, name, labels, annotations, selector, podLabels, pod, replicas);
    }

    private static void wireGraphContainer(PredictorContext ctx, PodSpec pod, Container c, PredictiveUnit unit) {
        List<Parameter> extraParameters = List.of();
        Container modelContainer = c;
        if (Implementations.isPrepackaged(unit.getImplementation())) {
            PrepackagedServer.Wiring wiring = PrepackagedServer.apply(ctx, pod, c, unit);
            extraParameters = wiring.parameters();
            modelContainer = wiring.modelContainer();
        }
        if (unit.getServiceAccountName() != null
                && !unit.getServiceAccountName().isEmpty()) {
            pod.setServiceAccountName(unit.getServiceAccountName());
        }
        StorageInitializer.apply(ctx, pod, modelContainer, StorageInitializer.ModelSource.of(unit), c.getName());
        ModelContainer.apply(ctx, c, unit, extraParameters);
    }

    /** The orchestrator alone, when annotated {@code seldon.io/engine-separate-pod} or the graph has no containers. */
    private static Deployment engineOnly(PredictorContext ctx) {
        String name = ctx.engineDeploymentName();
        PodSpec pod = new PodSpecBuilder()
                .withServiceAccountName(ctx.config().engine().serviceAccountName())
                .withContainers(EngineContainer.build(ctx))
                .build();
        PodDefaults.apply(pod, ctx.config().defaultUserId());
        PredictorTls.apply(ctx, pod);
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(SeldonLabels.SELDON_ID, ctx.sdepName());
        selector.put(SeldonLabels.SELDON_APP, ctx.serviceName());
        Map<String, String> labels = new LinkedHashMap<>(ctx.baseLabels());
        labels.put(SeldonLabels.APP, name);
        labels.put(SeldonLabels.FLUENTD, "true");
        labels.put(SeldonLabels.CONTAINS_SVCORCH, "true");
        labels.put(SeldonLabels.SELDON_APP, ctx.serviceName());
        labels.put(
                "version",
                ctx.predictor()
                        .getLabels()
                        .getOrDefault("version", ctx.predictor().getName()));
        Map<String, String> podLabels = new LinkedHashMap<>(labels);
        podLabels.putAll(selector);
        Map<String, String> annotations = new LinkedHashMap<>(ctx.specAnnotations());
        annotations.putAll(ctx.predictorAnnotations());
        Integer replicas = ctx.predictor().getSvcOrchSpec() != null
                        && ctx.predictor().getSvcOrchSpec().getReplicas() != null
                ? ctx.predictor().getSvcOrchSpec().getReplicas()
                : ctx.replicas(null);
        return deployment(ctx, name, labels, annotations, selector, podLabels, pod, replicas);
    }

    static Deployment deployment(
            PredictorContext ctx,
            String name,
            Map<String, String> labels,
            Map<String, String> annotations,
            Map<String, String> selector,
            Map<String, String> podLabels,
            PodSpec pod,
            Integer replicas) {
        Map<String, String> podAnnotations = new LinkedHashMap<>(annotations);
        podAnnotations.put(
                SeldonLabels.ANNOTATION_PROMETHEUS_PATH, ctx.config().engine().prometheusPath());
        podAnnotations.put(SeldonLabels.ANNOTATION_PROMETHEUS_SCRAPE, "true");
        ObjectMeta meta = KubeObjects.meta(ctx, name, labels);
        meta.setAnnotations(annotations.isEmpty() ? null : annotations);
        return new DeploymentBuilder()
                .withMetadata(meta)
                .withNewSpec()
                .withReplicas(replicas)
                .withProgressDeadlineSeconds(ctx.predictor().getProgressDeadlineSeconds())
                .withNewSelector()
                .withMatchLabels(selector)
                .endSelector()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withNewMaxUnavailable("10%")
                .withNewMaxSurge("25%")
                .endRollingUpdate()
                .endStrategy()
                .withNewTemplate()
                .withMetadata(new ObjectMetaBuilder()
                        .withLabels(podLabels)
                        .withAnnotations(podAnnotations)
                        .build())
                .withSpec(pod)
                .endTemplate()
                .endSpec()
                .build();
    }
}
