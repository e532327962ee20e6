package dev.seldonj.local.plan;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Service as the runner needs it: which pod it selects and where each of its ports lands.
 *
 * @param namespace the Service's namespace
 * @param name the Service's name (the first label of its DNS names)
 * @param selector the pod labels it selects
 * @param ports its ports, each with a numeric or named targetPort
 */
public record ServicePlan(String namespace, String name, Map<String, String> selector, List<ServicePort> ports) {

    /** The targetPort behind a Service port number; Kubernetes defaults it to the port itself. */
    public Optional<IntOrString> targetPort(int port) {
        return ports.stream()
                .filter(p -> p.getPort() != null && p.getPort() == port)
                .findFirst()
                .map(p -> p.getTargetPort() == null ? new IntOrString(port) : p.getTargetPort());
    }

    public String qualifiedName() {
        return namespace + "/" + name;
    }
}
