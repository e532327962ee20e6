package dev.seldonj.desired;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.seldonj.api.model.EndpointType;
import dev.seldonj.api.model.Parameter;
import dev.seldonj.api.model.PredictiveUnit;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Seldon adds to a container that serves a graph node ({@code createContainerService}): probes,
 * a preStop hook and the {@code PREDICTIVE_UNIT_*} / {@code MLSERVER_*} environment. Values the user
 * set win: env vars are only added when absent, probes only when missing.
 */
final class ModelContainer {

    static final String MODEL_DIR = "/mnt/models";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelContainer() {}

    static void apply(PredictorContext ctx, Container c, PredictiveUnit unit, List<Parameter> extraParameters) {
        int http = port(c, "http");
        int grpc = port(c, "grpc");
        int metrics = port(c, "metrics");
        boolean grpcTransport = unit.getEndpoint() != null && unit.getEndpoint().getType() == EndpointType.GRPC;
        int servicePort = grpcTransport ? grpc : http;
        if (c.getLivenessProbe() == null) {
            c.setLivenessProbe(tcpProbe(grpcTransport ? "grpc" : "http", 60));
        }
        if (c.getReadinessProbe() == null) {
            c.setReadinessProbe(tcpProbe(grpcTransport ? "grpc" : "http", 20));
        }
        if (c.getLifecycle() == null) {
            c.setLifecycle(new LifecycleBuilder()
                    .withNewPreStop()
                    .withNewExec()
                    .withCommand("/bin/sh", "-c", "/bin/sleep 10")
                    .endExec()
                    .endPreStop()
                    .build());
        }
        List<Parameter> parameters = new ArrayList<>(unit.getParameters() == null ? List.of() : unit.getParameters());
        parameters.addAll(extraParameters);
        List<EnvVar> env = new ArrayList<>(c.getEnv());
        addIfAbsent(env, "PREDICTIVE_UNIT_SERVICE_PORT", Integer.toString(servicePort));
        addIfAbsent(env, "PREDICTIVE_UNIT_HTTP_SERVICE_PORT", Integer.toString(http));
        addIfAbsent(env, "PREDICTIVE_UNIT_GRPC_SERVICE_PORT", Integer.toString(grpc));
        addIfAbsent(env, "MLSERVER_HTTP_PORT", Integer.toString(http));
        addIfAbsent(env, "MLSERVER_GRPC_PORT", Integer.toString(grpc));
        addIfAbsent(env, "PREDICTIVE_UNIT_PARAMETERS", parametersJson(parameters));
        if (unit.getModelUri() != null && !unit.getModelUri().isEmpty()) {
            addIfAbsent(env, "MLSERVER_MODEL_URI", MODEL_DIR);
        }
        addIfAbsent(env, "PREDICTIVE_UNIT_ID", c.getName());
        addIfAbsent(env, "MLSERVER_MODEL_NAME", c.getName());
        addIfAbsent(env, "PREDICTIVE_UNIT_IMAGE", c.getImage() == null ? "" : c.getImage());
        addIfAbsent(env, "PREDICTOR_ID", ctx.predictor().getName());
        addIfAbsent(env, "PREDICTOR_LABELS", labelsJson(ctx.predictor().getLabels()));
        addIfAbsent(env, "SELDON_DEPLOYMENT_ID", ctx.sdepName());
        addIfAbsent(env, "SELDON_EXECUTOR_ENABLED", "true");
        addIfAbsent(env, "PREDICTIVE_UNIT_METRICS_SERVICE_PORT", Integer.toString(metrics));
        addIfAbsent(
                env, "PREDICTIVE_UNIT_METRICS_ENDPOINT", ctx.config().engine().prometheusPath());
        addIfAbsent(env, "MLSERVER_METRICS_PORT", Integer.toString(metrics));
        addIfAbsent(env, "MLSERVER_METRICS_ENDPOINT", ctx.config().engine().prometheusPath());
        c.setEnv(env);
    }

    static void addIfAbsent(List<EnvVar> env, String name, String value) {
        if (env.stream().noneMatch(e -> name.equals(e.getName()))) {
            env.add(new EnvVar(name, value, null));
        }
    }

    static int port(Container c, String name) {
        return c.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "container " + c.getName() + " has no port " + name + " after defaulting"));
    }

    static Probe tcpProbe(String port, int initialDelaySeconds) {
        return new ProbeBuilder()
                .withNewTcpSocket()
                .withPort(new IntOrString(port))
                .endTcpSocket()
                .withInitialDelaySeconds(initialDelaySeconds)
                .withPeriodSeconds(5)
                .withTimeoutSeconds(1)
                .withFailureThreshold(3)
                .withSuccessThreshold(1)
                .build();
    }

    static Probe httpProbe(String path, String port) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString(port))
                .endHttpGet()
                .withInitialDelaySeconds(0)
                .withPeriodSeconds(5)
                .withTimeoutSeconds(1)
                .withFailureThreshold(3)
                .withSuccessThreshold(1)
                .build();
    }

    /** The parameters as the wrappers read them: a JSON list of {name, value, type}. */
    static String parametersJson(List<Parameter> parameters) {
        ArrayNode array = JSON.createArrayNode();
        for (Parameter p : parameters) {
            array.addObject()
                    .put("name", p.getName())
                    .put("value", p.getValue())
                    .put("type", p.getType() == null ? "STRING" : p.getType().name());
        }
        return array.toString();
    }

    private static String labelsJson(Map<String, String> labels) {
        try {
            return JSON.writeValueAsString(labels == null ? Map.of() : new TreeMap<>(labels));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
