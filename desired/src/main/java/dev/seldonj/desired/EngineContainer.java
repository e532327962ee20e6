package dev.seldonj.desired;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.ServerType;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service orchestrator container {@code seldon-container-engine} (seldon-v1.md section 2.3): the
 * executor's arguments, {@code ENGINE_PREDICTOR}, ports 8000/5001, probes with configured delays
 * (not Seldon's fixed 20 s, SC#4740) and resources.
 */
final class EngineContainer {

    static final String NAME = "seldon-container-engine";
    static final String ENV_ENGINE_PREDICTOR = "ENGINE_PREDICTOR";
    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineContainer() {}

    static Container build(PredictorContext ctx) {
        OperatorConfig.Engine engine = ctx.config().engine();
        String scheme =
                ctx.predictor().getSsl() != null && ctx.predictor().getSsl().getCertSecretName() != null
                        ? "HTTPS"
                        : "HTTP";
        return new ContainerBuilder()
                .withName(NAME)
                .withImage(engine.image())
                .withImagePullPolicy(engine.imagePullPolicy())
                .withArgs(args(ctx))
                .withEnv(env(ctx))
                // Seldon also declared 8000 a second time as "metrics". Server-side apply keys container ports by
                // (containerPort, protocol) and refuses the whole Deployment with a duplicate (kubernetes#113482);
                // the metrics are served on "http" at the prometheus path.
                .addNewPort()
                .withName("http")
                .withContainerPort(engine.httpPort())
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("grpc")
                .withContainerPort(engine.grpcPort())
                .withProtocol("TCP")
                .endPort()
                .withReadinessProbe(httpProbe("/ready", scheme, engine.readinessProbe()))
                .withLivenessProbe(httpProbe("/live", scheme, engine.livenessProbe()))
                .withStartupProbe(httpProbe("/live", scheme, engine.startupProbe()))
                .withResources(resources(ctx))
                .withNewSecurityContext()
                .withRunAsUser(engine.user())
                .withAllowPrivilegeEscalation(false)
                .endSecurityContext()
                .addNewVolumeMount()
                .withName(PodDefaults.PODINFO_VOLUME)
                .withMountPath(PodDefaults.PODINFO_PATH)
                .endVolumeMount()
                .withTerminationMessagePath("/dev/termination-log")
                .withTerminationMessagePolicy("File")
                .build();
    }

    /** The Go executor's command line, which the seldonj engine accepts unchanged. */
    static List<String> args(PredictorContext ctx) {
        OperatorConfig.Engine engine = ctx.config().engine();
        ServerType serverType =
                ctx.spec().getServerType() == null ? ServerType.RPC : ctx.spec().getServerType();
        return List.of(
                "--sdep",
                ctx.sdepName(),
                "--namespace",
                ctx.namespace(),
                "--predictor",
                ctx.predictor().getName(),
                "--http_port",
                Integer.toString(engine.httpPort()),
                "--grpc_port",
                Integer.toString(engine.grpcPort()),
                "--protocol",
                ctx.protocol().wireName(),
                "--transport",
                ctx.transport().wireName(),
                "--prometheus_path",
                engine.prometheusPath(),
                "--server_type",
                serverType.wireName(),
                "--log_work_buffer_size",
                Integer.toString(engine.requestLogger().workQueueSize()),
                "--log_write_timeout_ms",
                Integer.toString(engine.requestLogger().writeTimeoutMs()),
                "--full_health_checks=" + engine.fullHealthChecks());
    }

    private static List<EnvVar> env(PredictorContext ctx) {
        OperatorConfig.Engine engine = ctx.config().engine();
        // By name: a variable the user sets (svcOrchSpec.env, seldon.io/engine-* annotations) replaces the
        // controller's of that name, as the later one would in the container. Two entries of one name
        // would also make the API server refuse the apply (env is a map keyed by name).
        Map<String, EnvVar> env = new LinkedHashMap<>();
        put(env, new EnvVar(ENV_ENGINE_PREDICTOR, enginePredictor(ctx.predictor()), null));
        put(
                env,
                new EnvVar(
                        "REQUEST_LOGGER_DEFAULT_ENDPOINT",
                        engine.requestLogger().defaultEndpoint(),
                        null));
        if (engine.javaOpts() != null && !engine.javaOpts().isBlank()) {
            // Read by any JVM whatever the image's entrypoint.
            put(env, new EnvVar("JAVA_TOOL_OPTIONS", engine.javaOpts(), null));
        }
        if (ctx.predictor().getSvcOrchSpec() != null
                && ctx.predictor().getSvcOrchSpec().getEnv() != null) {
            ctx.predictor().getSvcOrchSpec().getEnv().forEach(e -> put(env, e));
        }
        for (Map.Entry<String, String> a : ctx.specAnnotations().entrySet()) {
            String key = a.getKey();
            if (key.startsWith(SeldonLabels.ANNOTATION_ENGINE_ENV_PREFIX)
                    && !key.equals(SeldonLabels.ANNOTATION_ENGINE_SEPARATE_POD)) {
                String name = key.substring(SeldonLabels.ANNOTATION_ENGINE_ENV_PREFIX.length())
                        .replace('-', '_')
                        .toUpperCase(Locale.ROOT);
                put(env, new EnvVar(name, a.getValue(), null));
            }
        }
        return new ArrayList<>(env.values());
    }

    private static void put(Map<String, EnvVar> env, EnvVar variable) {
        env.put(variable.getName(), variable);
    }

    /**
     * Base64 of the defaulted predictor as JSON, with traffic, replicas and the explainer removed
     * (Seldon's {@code GetEngineVarJson}), so scaling or traffic changes do not restart the engine.
     */
    static String enginePredictor(PredictorSpec predictor) {
        PredictorSpec copy = Manifests.mapper().convertValue(Manifests.toTree(predictor), PredictorSpec.class);
        copy.setTraffic(null);
        copy.setReplicas(null);
        copy.setExplainer(null);
        try {
            byte[] json = JSON.writeValueAsBytes(Manifests.toTree(copy));
            return Base64.getEncoder().encodeToString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a PredictorSpec always serialises", e);
        }
    }

    private static Probe httpProbe(String path, String scheme, OperatorConfig.Probe settings) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString("http"))
                .withScheme(scheme)
                .endHttpGet()
                .withInitialDelaySeconds(settings.initialDelaySeconds())
                .withPeriodSeconds(settings.periodSeconds())
                .withTimeoutSeconds(settings.timeoutSeconds())
                .withFailureThreshold(settings.failureThreshold())
                .withSuccessThreshold(1)
                .build();
    }

    private static ResourceRequirements resources(PredictorContext ctx) {
        if (ctx.predictor().getSvcOrchSpec() != null
                && ctx.predictor().getSvcOrchSpec().getResources() != null) {
            return ctx.predictor().getSvcOrchSpec().getResources();
        }
        OperatorConfig.Engine engine = ctx.config().engine();
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(engine.cpuRequest()))
                .addToRequests("memory", new Quantity(engine.memoryRequest()))
                .addToLimits("cpu", new Quantity(engine.cpuLimit()))
                .addToLimits("memory", new Quantity(engine.memoryLimit()))
                .build();
    }
}
