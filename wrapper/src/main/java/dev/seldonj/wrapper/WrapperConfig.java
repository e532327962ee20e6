package dev.seldonj.wrapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/**
 * The wrapper's configuration, read once at start-up from the environment the Seldon operator gives a
 * component container (the same variables the Python wrapper reads). Port 0 picks a free port.
 *
 * @param httpPort {@code PREDICTIVE_UNIT_HTTP_SERVICE_PORT}, default 9000: the internal REST API
 * @param grpcPort {@code PREDICTIVE_UNIT_GRPC_SERVICE_PORT}, default 9500 (what the operator sets): the internal gRPC API
 * @param metricsPort {@code PREDICTIVE_UNIT_METRICS_SERVICE_PORT}, default 6000: Prometheus metrics
 * @param metricsPath {@code PREDICTIVE_UNIT_METRICS_ENDPOINT}, default {@code /prometheus} (what the operator sets)
 * @param unitId {@code PREDICTIVE_UNIT_ID}: the graph node's name; empty when unset (no {@code requestPath} entry)
 * @param unitImage {@code PREDICTIVE_UNIT_IMAGE}: the container image, default {@code NOT_IMPLEMENTED:NOT_IMPLEMENTED}
 * @param parameters {@code PREDICTIVE_UNIT_PARAMETERS}: the node's typed parameters
 * @param includeMetricsInResponse {@code INCLUDE_METRICS_IN_CLIENT_RESPONSE}: keep custom metrics in {@code meta.metrics}
 * @param deploymentName {@code SELDON_DEPLOYMENT_ID}, a metrics label
 * @param predictorName {@code PREDICTOR_ID}, a metrics label
 * @param predictorVersion the {@code version} of {@code PREDICTOR_LABELS} (JSON), a metrics label
 * @param workerThreads {@code SELDONJ_WORKER_THREADS}, default 2 x CPUs: threads running component calls
 */
public record WrapperConfig(
        int httpPort,
        int grpcPort,
        int metricsPort,
        String metricsPath,
        String unitId,
        String unitImage,
        ComponentParameters parameters,
        boolean includeMetricsInResponse,
        String deploymentName,
        String predictorName,
        String predictorVersion,
        int workerThreads) {

    public static final String NOT_IMPLEMENTED = "NOT_IMPLEMENTED";

    public WrapperConfig {
        if (!metricsPath.startsWith("/")) {
            metricsPath = "/" + metricsPath;
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("SELDONJ_WORKER_THREADS must be at least 1, got " + workerThreads);
        }
    }

    /** Defaults as in a pod without any of the variables set. */
    public static WrapperConfig defaults() {
        return fromEnv(Map.of());
    }

    /** Every port 0 (free ports) and no parameters: for tests and embedding. */
    public static WrapperConfig ephemeral() {
        return defaults().withPorts(0, 0, 0);
    }

    public static WrapperConfig fromEnv(Map<String, String> env) {
        return new WrapperConfig(
                port(env, "PREDICTIVE_UNIT_HTTP_SERVICE_PORT", 9000),
                port(env, "PREDICTIVE_UNIT_GRPC_SERVICE_PORT", 9500),
                port(env, "PREDICTIVE_UNIT_METRICS_SERVICE_PORT", 6000),
                env.getOrDefault("PREDICTIVE_UNIT_METRICS_ENDPOINT", "/prometheus"),
                env.getOrDefault("PREDICTIVE_UNIT_ID", ""),
                env.getOrDefault("PREDICTIVE_UNIT_IMAGE", NOT_IMPLEMENTED + ":" + NOT_IMPLEMENTED),
                ComponentParameters.parse(env.get("PREDICTIVE_UNIT_PARAMETERS")),
                bool(env.get("INCLUDE_METRICS_IN_CLIENT_RESPONSE")),
                env.getOrDefault("SELDON_DEPLOYMENT_ID", NOT_IMPLEMENTED),
                env.getOrDefault("PREDICTOR_ID", NOT_IMPLEMENTED),
                predictorVersion(env.get("PREDICTOR_LABELS")),
                integer(env, "SELDONJ_WORKER_THREADS", 2 * Runtime.getRuntime().availableProcessors()));
    }

    public WrapperConfig withPorts(int http, int grpc, int metrics) {
        return new WrapperConfig(
                http,
                grpc,
                metrics,
                metricsPath,
                unitId,
                unitImage,
                parameters,
                includeMetricsInResponse,
                deploymentName,
                predictorName,
                predictorVersion,
                workerThreads);
    }

    public WrapperConfig withUnit(String id, String image) {
        return new WrapperConfig(
                httpPort,
                grpcPort,
                metricsPort,
                metricsPath,
                id,
                image,
                parameters,
                includeMetricsInResponse,
                deploymentName,
                predictorName,
                predictorVersion,
                workerThreads);
    }

    public WrapperConfig withParameters(ComponentParameters params) {
        return new WrapperConfig(
                httpPort,
                grpcPort,
                metricsPort,
                metricsPath,
                unitId,
                unitImage,
                params,
                includeMetricsInResponse,
                deploymentName,
                predictorName,
                predictorVersion,
                workerThreads);
    }

    public WrapperConfig withMetricsInResponse(boolean include) {
        return new WrapperConfig(
                httpPort,
                grpcPort,
                metricsPort,
                metricsPath,
                unitId,
                unitImage,
                parameters,
                include,
                deploymentName,
                predictorName,
                predictorVersion,
                workerThreads);
    }

    /** The image name without its tag (a metrics label and the default metadata name). */
    public String imageName() {
        int colon = unitImage.lastIndexOf(':');
        return colon < 0 ? unitImage : unitImage.substring(0, colon);
    }

    /** The image tag (a metrics label and the default metadata version). */
    public String imageVersion() {
        int colon = unitImage.lastIndexOf(':');
        return colon < 0 ? "" : unitImage.substring(colon + 1);
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        int port = integer(env, name, fallback);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be a port (0-65535), got " + port);
        }
        return port;
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got \"" + value + "\"");
        }
    }

    /** As the Python wrapper's {@code getenv_as_bool}: 1, true or t, any case. */
    private static boolean bool(String value) {
        return value != null
                && (value.equalsIgnoreCase("1") || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("t"));
    }

    private static String predictorVersion(String labelsJson) {
        if (labelsJson == null || labelsJson.isBlank()) {
            return NOT_IMPLEMENTED;
        }
        try {
            JsonNode labels = new ObjectMapper().readTree(labelsJson);
            return labels.path("version").asText(NOT_IMPLEMENTED);
        } catch (IOException e) {
            throw new IllegalArgumentException("PREDICTOR_LABELS must be a JSON object, got \"" + labelsJson + "\"");
        }
    }
}
