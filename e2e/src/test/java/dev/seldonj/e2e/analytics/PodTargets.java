package dev.seldonj.e2e.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The targets Prometheus' Kubernetes pod discovery ({@code kubernetes_sd_configs} role {@code pod})
 * makes of a running pod: one per declared container port, with {@code __address__} = pod IP and port
 * and the {@code __meta_kubernetes_*} labels (names sanitised as Prometheus does). Here the pod is the
 * local runner's: its pod template comes from the controller's render, its address is loopback, and
 * each container port is reached on the local port the runner assigned it.
 */
final class PodTargets {

    private PodTargets() {}

    /** One static target: its address and its labels (meta labels included). */
    record Target(String address, Map<String, String> labels) {}

    /**
     * The targets of the pod a Deployment object runs.
     *
     * @param deployment the rendered Deployment (JSON tree)
     * @param podName the pod's name
     * @param localPorts container port -> the local port it is reached on
     */
    static List<Target> of(JsonNode deployment, String podName, Map<Integer, Integer> localPorts) {
        JsonNode template = deployment.path("spec").path("template");
        String namespace = deployment.path("metadata").path("namespace").asText("default");
        Map<String, String> pod = new LinkedHashMap<>();
        pod.put("__meta_kubernetes_namespace", namespace);
        pod.put("__meta_kubernetes_pod_name", podName);
        pod.put("__meta_kubernetes_pod_ip", "127.0.0.1");
        pod.put("__meta_kubernetes_pod_host_ip", "127.0.0.1");
        pod.put("__meta_kubernetes_pod_node_name", "local");
        pod.put("__meta_kubernetes_pod_phase", "Running");
        pod.put("__meta_kubernetes_pod_ready", "true");
        pod.put("__meta_kubernetes_pod_controller_kind", "ReplicaSet");
        pod.put(
                "__meta_kubernetes_pod_controller_name",
                deployment.path("metadata").path("name").asText());
        template.path("metadata").path("labels").fields().forEachRemaining(e -> {
            pod.put(
                    "__meta_kubernetes_pod_label_" + sanitize(e.getKey()),
                    e.getValue().asText());
            pod.put("__meta_kubernetes_pod_labelpresent_" + sanitize(e.getKey()), "true");
        });
        template.path("metadata").path("annotations").fields().forEachRemaining(e -> {
            pod.put(
                    "__meta_kubernetes_pod_annotation_" + sanitize(e.getKey()),
                    e.getValue().asText());
            pod.put("__meta_kubernetes_pod_annotationpresent_" + sanitize(e.getKey()), "true");
        });
        List<Target> targets = new ArrayList<>();
        for (JsonNode container : template.path("spec").path("containers")) {
            Map<String, String> labels = new LinkedHashMap<>(pod);
            labels.put(
                    "__meta_kubernetes_pod_container_name",
                    container.path("name").asText());
            labels.put(
                    "__meta_kubernetes_pod_container_image",
                    container.path("image").asText());
            labels.put("__meta_kubernetes_pod_container_init", "false");
            if (container.path("ports").isEmpty()) {
                // Prometheus makes a port-less target for a container without ports.
                targets.add(new Target("127.0.0.1", labels));
                continue;
            }
            for (JsonNode port : container.path("ports")) {
                int number = port.path("containerPort").asInt();
                Integer local = localPorts.get(number);
                if (local == null) {
                    throw new IllegalArgumentException("pod " + podName + " has no local port for container port "
                            + number + "; the runner listed " + localPorts);
                }
                Map<String, String> portLabels = new LinkedHashMap<>(labels);
                portLabels.put(
                        "__meta_kubernetes_pod_container_port_name",
                        port.path("name").asText(""));
                portLabels.put("__meta_kubernetes_pod_container_port_number", Integer.toString(number));
                portLabels.put(
                        "__meta_kubernetes_pod_container_port_protocol",
                        port.path("protocol").asText("TCP"));
                targets.add(new Target("127.0.0.1:" + local, portLabels));
            }
        }
        return targets;
    }

    /** Prometheus' strutil.SanitizeLabelName: every character outside [a-zA-Z0-9_] becomes '_'. */
    static String sanitize(String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }
}
