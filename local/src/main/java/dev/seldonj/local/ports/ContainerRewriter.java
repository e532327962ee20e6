package dev.seldonj.local.ports;

import dev.seldonj.local.plan.PodPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A container's arguments and environment as they must be on this machine: every value that carries
 * one of the pod's ports is given that port's local number, so a process listens where the runner
 * (and the other processes) will look for it.
 *
 * <ul>
 *   <li>env vars whose name ends in {@code _PORT} and whose value is a port the pod declares
 *       ({@code PREDICTIVE_UNIT_*_SERVICE_PORT}, {@code MLSERVER_*_PORT}, ...);
 *   <li>port flags in the arguments ({@code --http_port 8000}, {@code --grpc_port=5001}, ...);
 *   <li>{@code ENGINE_PREDICTOR}, whose graph endpoints are re-addressed;
 *   <li>{@code valueFrom.fieldRef} for the pod's name, namespace and IP.
 * </ul>
 */
public final class ContainerRewriter {

    /** Flags of the executor, the Python wrapper, TF Serving and MLServer that carry a listening port. */
    static final Set<String> PORT_FLAGS = Set.of(
            "--http_port", "--grpc_port", "--http-port", "--grpc-port", "--metrics-port", "--port", "--rest_api_port");

    static final String ENGINE_PREDICTOR = "ENGINE_PREDICTOR";

    private final LocalPorts ports;
    private final EnginePredictorRewriter enginePredictor;

    public ContainerRewriter(LocalPorts ports) {
        this.ports = ports;
        this.enginePredictor = new EnginePredictorRewriter(ports);
    }

    public List<String> args(PodPlan pod, Container container) {
        List<String> in = container.getArgs();
        List<String> out = new ArrayList<>(in.size());
        for (int i = 0; i < in.size(); i++) {
            String arg = in.get(i);
            int eq = arg.indexOf('=');
            if (eq > 0 && PORT_FLAGS.contains(arg.substring(0, eq))) {
                out.add(arg.substring(0, eq + 1) + port(pod, arg.substring(eq + 1)));
            } else if (PORT_FLAGS.contains(arg) && i + 1 < in.size()) {
                out.add(arg);
                out.add(port(pod, in.get(++i)));
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    /**
     * The container's environment, in order, rewritten. Values the runner cannot provide (Secrets,
     * ConfigMaps, resource fields) are left out and reported to {@code warnings}.
     */
    public Map<String, String> env(PodPlan pod, Container container, Consumer<String> warnings) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv()) {
            String value = var.getValue();
            if (var.getValueFrom() != null) {
                value = fieldRef(pod, var);
                if (value == null) {
                    warnings.accept(pod.name() + "/" + container.getName() + ": env " + var.getName()
                            + " comes from a source the local runner does not read (" + describe(var)
                            + "); it is left unset");
                    continue;
                }
            }
            if (value == null) {
                value = "";
            }
            if (ENGINE_PREDICTOR.equals(var.getName())) {
                value = enginePredictor.rewrite(pod, value);
            } else if (var.getName().endsWith("_PORT")) {
                value = port(pod, value);
            }
            env.put(var.getName(), value);
        }
        if (!container.getEnvFrom().isEmpty()) {
            warnings.accept(pod.name() + "/" + container.getName()
                    + ": envFrom (Secrets, ConfigMaps) is not read by the local runner");
        }
        return env;
    }

    /** The local number of a value that is one of the pod's ports; any other value unchanged. */
    private String port(PodPlan pod, String value) {
        try {
            return ports.local(pod, Integer.parseInt(value.trim()))
                    .map(String::valueOf)
                    .orElse(value);
        } catch (NumberFormatException e) {
            return value;
        }
    }

    private static String fieldRef(PodPlan pod, EnvVar var) {
        if (var.getValueFrom().getFieldRef() == null) {
            return null;
        }
        return switch (var.getValueFrom().getFieldRef().getFieldPath()) {
            case "metadata.name" -> pod.name();
            case "metadata.namespace" -> pod.namespace();
            case "status.podIP", "status.hostIP" -> LocalPorts.LOOPBACK;
            default -> null;
        };
    }

    private static String describe(EnvVar var) {
        var from = var.getValueFrom();
        if (from.getSecretKeyRef() != null) {
            return "Secret " + from.getSecretKeyRef().getName();
        }
        if (from.getConfigMapKeyRef() != null) {
            return "ConfigMap " + from.getConfigMapKeyRef().getName();
        }
        if (from.getFieldRef() != null) {
            return "field " + from.getFieldRef().getFieldPath();
        }
        return "resource field";
    }
}
