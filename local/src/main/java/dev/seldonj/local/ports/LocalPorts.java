package dev.seldonj.local.ports;

import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.plan.PodPlan;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.plan.ServicePlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where each (pod, containerPort) listens on this machine. In a cluster every pod has its own
 * address, so two pods may both use 8000; on one loopback they cannot, so each declared port of each
 * pod gets a free local port, and addresses (a pod's own {@code localhost}, a Service's DNS name) are
 * resolved to {@code 127.0.0.1} and that port.
 */
public final class LocalPorts {

    public static final String LOOPBACK = "127.0.0.1";
    private static final String CLUSTER_DOMAIN = ".svc.cluster.local";

    private final RunPlan plan;
    private final Map<String, Map<Integer, Integer>> byPod = new HashMap<>();

    private LocalPorts(RunPlan plan) {
        this.plan = plan;
    }

    /** Gives every declared port of every pod of the plan a local port. */
    public static LocalPorts assign(RunPlan plan, PortAllocator allocator) {
        LocalPorts ports = new LocalPorts(plan);
        for (PodPlan pod : plan.pods()) {
            Map<Integer, Integer> map = new LinkedHashMap<>();
            for (ContainerPort port : pod.ports()) {
                // The engine declares 8000 twice (http and metrics): one number, one socket.
                map.computeIfAbsent(port.getContainerPort(), p -> allocator.next());
            }
            ports.byPod.put(pod.qualifiedName(), map);
        }
        return ports;
    }

    /** The local port of a pod's container port, if a container of the pod declares it. */
    public Optional<Integer> local(PodPlan pod, int containerPort) {
        return Optional.ofNullable(
                byPod.getOrDefault(pod.qualifiedName(), Map.of()).get(containerPort));
    }

    /** A pod's container ports and their local ports. */
    public Map<Integer, Integer> of(PodPlan pod) {
        return Map.copyOf(byPod.getOrDefault(pod.qualifiedName(), Map.of()));
    }

    /** A named or numeric port of a pod (a probe's or a targetPort's), resolved to its local port. */
    public Optional<Integer> local(PodPlan pod, IntOrString port) {
        if (port == null) {
            return Optional.empty();
        }
        if (port.getIntVal() != null) {
            return local(pod, port.getIntVal());
        }
        return pod.portNamed(port.getStrVal()).flatMap(p -> local(pod, p));
    }

    /**
     * A probe's port: a name means the probing container's own port (a Seldon pod has two ports named
     * {@code http}, the engine's and the model's).
     */
    public Optional<Integer> local(PodPlan pod, Container container, IntOrString port) {
        if (port != null && port.getStrVal() != null) {
            return container.getPorts().stream()
                    .filter(p -> port.getStrVal().equals(p.getName()))
                    .findFirst()
                    .flatMap(p -> local(pod, p.getContainerPort()));
        }
        return local(pod, port);
    }

    /** The pod and local port behind {@code host:port} as seen from a pod in {@code fromNamespace}. */
    public Target resolveService(String fromNamespace, String host, int port) {
        String[] name = serviceName(fromNamespace, host);
        ServicePlan service = plan.service(name[1], name[0])
                .orElseThrow(() -> new RunnerException("no Service " + name[1] + "/" + name[0]
                        + " in the rendered objects for address " + host + ":" + port));
        IntOrString target = service.targetPort(port)
                .orElseThrow(() -> new RunnerException("Service " + service.qualifiedName() + " has no port " + port
                        + " (address " + host + ":" + port + ")"));
        PodPlan pod = plan.podSelectedBy(service)
                .orElseThrow(() -> new RunnerException("Service " + service.qualifiedName()
                        + " selects no pod (selector " + service.selector() + ")"));
        int local = local(pod, target)
                .orElseThrow(() -> new RunnerException("Service " + service.qualifiedName()
                        + " port " + port + " targets port " + target.getValue() + " of pod " + pod.qualifiedName()
                        + ", which none of its containers declares"));
        return new Target(pod, local);
    }

    /** {@code <svc>}, {@code <svc>.<ns>}, {@code <svc>.<ns>.svc} or {@code <svc>.<ns>.svc.cluster.local} -> [svc, ns]. */
    static String[] serviceName(String fromNamespace, String host) {
        String h = host;
        if (h.endsWith(CLUSTER_DOMAIN)) {
            h = h.substring(0, h.length() - CLUSTER_DOMAIN.length());
        } else if (h.endsWith(".svc")) {
            h = h.substring(0, h.length() - ".svc".length());
        }
        int dot = h.indexOf('.');
        return dot < 0 ? new String[] {h, fromNamespace} : new String[] {h.substring(0, dot), h.substring(dot + 1)};
    }

    /** True for the names by which a container reaches its own pod. */
    public static boolean isLocalhost(String host) {
        return "localhost".equals(host) || "127.0.0.1".equals(host) || "0.0.0.0".equals(host) || "::1".equals(host);
    }

    /** A pod and one of its local ports. */
    public record Target(PodPlan pod, int port) {}
}
