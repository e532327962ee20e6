package dev.seldonj.local.plan;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One pod to run locally: the template of a Deployment (one replica: on one machine more replicas
 * would only compete for the same ports and cores).
 *
 * @param namespace the Deployment's namespace
 * @param name the Deployment's name, used as the pod's name in output prefixes
 * @param labels the pod template's labels, which Services select on
 * @param initContainers run to completion, in order, before the containers
 * @param containers run side by side, sharing the pod's ports as on one loopback
 * @param volumes the pod's volumes, which its containers' mounts name
 */
public record PodPlan(
        String namespace,
        String name,
        Map<String, String> labels,
        List<Container> initContainers,
        List<Container> containers,
        List<Volume> volumes) {

    public PodPlan(
            String namespace,
            String name,
            Map<String, String> labels,
            List<Container> initContainers,
            List<Container> containers) {
        this(namespace, name, labels, initContainers, containers, List.of());
    }

    /** Every port any container of the pod declares; containers of a pod share one network namespace. */
    public List<ContainerPort> ports() {
        return containers.stream().flatMap(c -> c.getPorts().stream()).toList();
    }

    /** The container port with this name, as a probe or a Service's named targetPort refers to it. */
    public Optional<Integer> portNamed(String portName) {
        return ports().stream()
                .filter(p -> portName.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst();
    }

    /** Whether the pod carries every label of a Service selector. */
    public boolean matches(String selectorNamespace, Map<String, String> selector) {
        return namespace.equals(selectorNamespace)
                && selector != null
                && !selector.isEmpty()
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    public String qualifiedName() {
        return namespace + "/" + name;
    }
}
