package dev.seldonj.desired;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.api.defaults.Names;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.Explainer;
import dev.seldonj.api.model.Protocol;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A predictor's explainer (Seldon's {@code seldondeployment_explainers.go}): a Deployment and Service
 * {@code <sdep>-<predictor>-explainer} running Alibi Explain against the predictor Service, with the
 * explainer model downloaded like a graph node's. The v2 protocol runs MLServer's Alibi runtime.
 */
final class Explainers {

    static final String CONTAINER = "explainer";
    static final int PORT = 9000;
    static final String ROLE_EXPLAINER = "seldon.io/explainer";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Explainers() {}

    static String name(PredictorContext ctx) {
        return Names.kubernetesName(ctx.sdepName() + "-" + ctx.predictor().getName() + "-explainer");
    }

    static List<HasMetadata> build(PredictorContext ctx) {
        Explainer explainer = ctx.predictor().getExplainer();
        if (explainer == null
                || explainer.getType() == null
                || explainer.getType().isEmpty()) {
            return List.of();
        }
        String name = name(ctx);
        Container c = explainer.getContainerSpec() == null
                ? new Container()
                : Manifests.mapper().convertValue(Manifests.toTree(explainer.getContainerSpec()), Container.class);
        if (c.getName() == null || c.getName().isEmpty()) {
            c.setName(CONTAINER);
        }
        boolean v2 = ctx.protocol() == Protocol.V2 || ctx.protocol() == Protocol.KFSERVING;
        if (c.getImage() == null || c.getImage().isEmpty()) {
            c.setImage(
                    v2
                            ? ctx.config().explainer().imageV2()
                            : ctx.config().explainer().image());
        }
        boolean hasModel =
                explainer.getModelUri() != null && !explainer.getModelUri().isEmpty();
        String predictorHost = ctx.serviceName() + "." + ctx.namespace();
        String graph = ctx.predictor().getGraph().getName();
        if (v2) {
            List<EnvVar> env = new ArrayList<>(c.getEnv());
            ModelContainer.addIfAbsent(env, "MLSERVER_HTTP_PORT", Integer.toString(PORT));
            ModelContainer.addIfAbsent(env, "MLSERVER_MODEL_NAME", name);
            ModelContainer.addIfAbsent(
                    env, "MLSERVER_MODEL_IMPLEMENTATION", "mlserver_alibi_explain.AlibiExplainRuntime");
            if (hasModel) {
                ModelContainer.addIfAbsent(env, "MLSERVER_MODEL_URI", ModelContainer.MODEL_DIR);
            }
            ObjectNode extra = JSON.createObjectNode();
            extra.put("explainer_type", explainer.getType());
            extra.put(
                    "infer_uri",
                    "http://" + predictorHost + ":" + ctx.config().engine().httpPort() + "/v2/models/" + graph
                            + "/infer");
            if (explainer.getInitParameters() != null
                    && !explainer.getInitParameters().isEmpty()) {
                extra.put("init_parameters", explainer.getInitParameters());
            }
            ModelContainer.addIfAbsent(env, "MLSERVER_MODEL_EXTRA", extra.toString());
            c.setEnv(env);
        } else if (c.getArgs().isEmpty()) {
            String transport = ctx.transport().wireName().equals("grpc") ? "grpc" : "http";
            int predictorPort = transport.equals("grpc")
                    ? ctx.config().engine().grpcPort()
                    : ctx.config().engine().httpPort();
            List<String> args = new ArrayList<>(List.of(
                    "--model_name=" + graph,
                    "--predictor_host=" + predictorHost + ":" + predictorPort,
                    "--protocol=" + (ctx.protocol() == Protocol.TENSORFLOW ? "tensorflow" : "seldon") + "." + transport,
                    "--http_port=" + PORT));
            if (hasModel) {
                args.add("--storage_uri=" + ModelContainer.MODEL_DIR);
            }
            args.add(explainer.getType());
            if (explainer.getConfig() != null) {
                new TreeMap<>(explainer.getConfig()).forEach((k, v) -> args.add("--" + k + "=" + v));
            }
            c.setArgs(args);
        }
        if (c.getPorts().isEmpty()) {
            c.setPorts(List.of(new ContainerPortBuilder()
                    .withName("http")
                    .withContainerPort(PORT)
                    .withProtocol("TCP")
                    .build()));
        }
        if (c.getReadinessProbe() == null) {
            c.setReadinessProbe(ModelContainer.tcpProbe("http", 20));
        }
        if (c.getLivenessProbe() == null) {
            c.setLivenessProbe(ModelContainer.tcpProbe("http", 60));
        }
        PodSpec pod = new PodSpec();
        pod.setContainers(new ArrayList<>(List.of(c)));
        if (explainer.getServiceAccountName() != null
                && !explainer.getServiceAccountName().isEmpty()) {
            pod.setServiceAccountName(explainer.getServiceAccountName());
        }
        StorageInitializer.apply(
                ctx,
                pod,
                c,
                new StorageInitializer.ModelSource(
                        explainer.getModelUri(),
                        explainer.getStorageInitializerImage(),
                        explainer.getEnvSecretRefName()),
                c.getName());
        PodDefaults.apply(pod, ctx.config().defaultUserId());

        Map<String, String> selector = new LinkedHashMap<>();
        selector.put(SeldonLabels.SELDON_ID, ctx.sdepName());
        selector.put(SeldonLabels.SELDON_APP, name);
        Map<String, String> labels = new LinkedHashMap<>(ctx.baseLabels());
        labels.put(SeldonLabels.APP, name);
        labels.put(SeldonLabels.FLUENTD, "true");
        labels.putAll(ctx.predictor().getLabels());
        labels.put(ROLE_EXPLAINER, "true");
        Map<String, String> podLabels = new LinkedHashMap<>(labels);
        podLabels.putAll(selector);
        Map<String, String> annotations = new LinkedHashMap<>(ctx.specAnnotations());
        annotations.putAll(ctx.predictorAnnotations());
        int replicas = explainer.getReplicas() != null ? explainer.getReplicas() : 1;
        Deployment deployment =
                Deployments.deployment(ctx, name, labels, annotations, selector, podLabels, pod, replicas);

        Map<String, String> svcLabels = new LinkedHashMap<>(ctx.baseLabels());
        svcLabels.put(SeldonLabels.SELDON_APP, name);
        var service = new ServiceBuilder()
                .withMetadata(KubeObjects.meta(ctx, name, svcLabels))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(Map.of(SeldonLabels.SELDON_APP, name))
                .addNewPort()
                .withName("http")
                .withPort(PORT)
                .withTargetPort(new IntOrString(PORT))
                .withProtocol("TCP")
                .endPort()
                .withSessionAffinity("None")
                .endSpec()
                .build();
        return List.of(deployment, service);
    }
}
