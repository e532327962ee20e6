package dev.seldonj.local.ports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.plan.PodPlan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Rewrites the engine's {@code ENGINE_PREDICTOR} (base64 JSON of the defaulted PredictorSpec) so that
 * every graph node's endpoint names {@code 127.0.0.1} and the local port of the pod it means:
 * {@code localhost} is the engine's own pod, a Service DNS name is that Service's selected pod and
 * target port. Everything else in the document is kept as it was.
 */
final class EnginePredictorRewriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> PORT_FIELDS = List.of("service_port", "httpPort", "grpcPort");

    private final LocalPorts ports;

    EnginePredictorRewriter(LocalPorts ports) {
        this.ports = ports;
    }

    String rewrite(PodPlan pod, String base64) {
        JsonNode predictor;
        try {
            predictor = JSON.readTree(Base64.getDecoder().decode(base64.trim()));
        } catch (IllegalArgumentException | IOException e) {
            throw new RunnerException(
                    "pod " + pod.qualifiedName() + ": ENGINE_PREDICTOR is not base64 of a JSON document: "
                            + e.getMessage(),
                    e);
        }
        if (!(predictor instanceof ObjectNode) || !predictor.path("graph").isObject()) {
            throw new RunnerException("pod " + pod.qualifiedName() + ": ENGINE_PREDICTOR has no graph object");
        }
        rewriteNode(pod, (ObjectNode) predictor.get("graph"), "graph");
        return Base64.getEncoder().encodeToString(predictor.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void rewriteNode(PodPlan pod, ObjectNode node, String path) {
        if (node.path("endpoint") instanceof ObjectNode endpoint && endpoint.hasNonNull("service_host")) {
            String host = endpoint.get("service_host").asText();
            for (String field : PORT_FIELDS) {
                if (endpoint.path(field).canConvertToInt()) {
                    int port = endpoint.get(field).asInt();
                    endpoint.put(field, localPort(pod, path, host, port));
                }
            }
            endpoint.put("service_host", LocalPorts.LOOPBACK);
        }
        JsonNode children = node.path("children");
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof ObjectNode child) {
                rewriteNode(pod, child, path + ".children[" + i + "]");
            }
        }
    }

    private int localPort(PodPlan pod, String path, String host, int port) {
        if (LocalPorts.isLocalhost(host)) {
            return ports.local(pod, port)
                    .orElseThrow(() -> new RunnerException("pod " + pod.qualifiedName()
                            + ": ENGINE_PREDICTOR " + path + ".endpoint is localhost:" + port
                            + " but no container of the pod declares port " + port));
        }
        try {
            return ports.resolveService(pod.namespace(), host, port).port();
        } catch (RunnerException e) {
            throw new RunnerException(
                    "pod " + pod.qualifiedName() + ": ENGINE_PREDICTOR " + path + ".endpoint: " + e.getMessage(), e);
        }
    }
}
