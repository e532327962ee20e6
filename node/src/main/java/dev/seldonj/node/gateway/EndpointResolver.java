package dev.seldonj.node.gateway;

import dev.seldonj.local.gateway.Endpoints;
import dev.seldonj.local.gateway.Upstream;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a Mapping's Service port to the addresses of its ready pods, as kube-proxy and Emissary's
 * endpoint routing do: Service port -> the EndpointSlices labelled
 * {@code kubernetes.io/service-name=<service>} -> each slice's port of the same name (which carries
 * the targetPort resolved per pod, named or numbered) -> the ready endpoints' first addresses.
 *
 * <p>The Service's ClusterIP is never used: in the test cluster no proxy programs it (its range is
 * routed unreachable), and Emissary's endpoint resolver does not dial it either.
 *
 * <p>Built from one snapshot of the informers' stores, then read-only.
 */
final class EndpointResolver {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final Comparator<Upstream> ORDER =
            Comparator.comparing(Upstream::host).thenComparingInt(Upstream::port);

    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();

    EndpointResolver(Collection<Service> services, Collection<EndpointSlice> slices) {
        for (Service s : services) {
            this.services.put(
                    s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s);
        }
        for (EndpointSlice slice : slices) {
            String service = slice.getMetadata().getLabels() == null
                    ? null
                    : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            if (service != null) {
                slicesByService
                        .computeIfAbsent(slice.getMetadata().getNamespace() + "/" + service, k -> new ArrayList<>())
                        .add(slice);
            }
        }
    }

    Endpoints resolve(ServiceRef ref) {
        Service service = services.get(ref.key());
        if (service == null) {
            return Endpoints.none("no Service " + ref.qualifiedName());
        }
        if ("ExternalName".equals(service.getSpec().getType())) {
            return Endpoints.none(
                    "Service " + ref.qualifiedName() + " is of type ExternalName; only pod endpoints are routed");
        }
        List<ServicePort> ports = service.getSpec().getPorts() == null
                ? List.of()
                : service.getSpec().getPorts();
        Optional<ServicePort> servicePort = ports.stream()
                .filter(p -> p.getPort() != null && p.getPort() == ref.port())
                .findFirst();
        if (servicePort.isEmpty()) {
            return Endpoints.none("Service " + ref.qualifiedName() + " has no port " + ref.port() + " (ports: "
                    + ports.stream().map(ServicePort::getPort).toList() + ")");
        }
        List<EndpointSlice> slices = slicesByService.getOrDefault(ref.key(), List.of());
        if (slices.isEmpty()) {
            return Endpoints.none("Service " + ref.qualifiedName() + " has no EndpointSlice (" + SERVICE_NAME_LABEL
                    + "=" + ref.name() + ")");
        }
        Set<Upstream> ready = new LinkedHashSet<>();
        int notReady = 0;
        int portless = 0;
        for (EndpointSlice slice : slices) {
            if (!"IPv4".equals(slice.getAddressType()) && !"IPv6".equals(slice.getAddressType())) {
                continue;
            }
            Optional<Integer> port = slicePort(slice, servicePort.get());
            for (Endpoint endpoint : Objects.requireNonNullElse(slice.getEndpoints(), List.<Endpoint>of())) {
                if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
                    continue;
                }
                if (!isReady(endpoint)) {
                    notReady++;
                } else if (port.isEmpty()) {
                    portless++;
                } else {
                    // Kubernetes: every address of one endpoint is the same pod; consumers use the first.
                    ready.add(new Upstream(endpoint.getAddresses().get(0), port.get()));
                }
            }
        }
        if (ready.isEmpty()) {
            return Endpoints.none("Service " + ref.qualifiedName() + " port " + ref.port() + " has no ready endpoint ("
                    + slices.size() + " EndpointSlice(s), " + notReady + " endpoint(s) not ready"
                    + (portless == 0 ? "" : ", " + portless + " without a port named '" + name(servicePort.get()) + "'")
                    + ")");
        }
        return Endpoints.of(ready.stream().sorted(ORDER).toList());
    }

    /** Kubernetes: a nil {@code ready} condition means ready. */
    private static boolean isReady(Endpoint endpoint) {
        return endpoint.getConditions() == null
                || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
    }

    /**
     * The port this slice's endpoints listen on for a Service port. The EndpointSlice controller names
     * slice ports after the Service ports and gives the number each pod resolved the targetPort to; a
     * slice written by hand may instead name the targetPort, or leave it to the Service's number.
     */
    private static Optional<Integer> slicePort(EndpointSlice slice, ServicePort servicePort) {
        List<EndpointPort> ports = Objects.requireNonNullElse(slice.getPorts(), List.of());
        Optional<Integer> byName = portNamed(ports, name(servicePort));
        if (byName.isPresent()) {
            return byName;
        }
        IntOrString target = servicePort.getTargetPort();
        if (target == null || (target.getIntVal() == null && target.getStrVal() == null)) {
            return Optional.of(servicePort.getPort());
        }
        if (target.getIntVal() != null) {
            return Optional.of(target.getIntVal());
        }
        return target.getStrVal().matches("\\d{1,5}")
                ? Optional.of(Integer.parseInt(target.getStrVal()))
                : portNamed(ports, target.getStrVal());
    }

    private static Optional<Integer> portNamed(List<EndpointPort> ports, String name) {
        return ports.stream()
                .filter(p -> name.equals(Objects.requireNonNullElse(p.getName(), "")) && p.getPort() != null)
                .map(EndpointPort::getPort)
                .findFirst();
    }

    private static String name(ServicePort port) {
        return Objects.requireNonNullElse(port.getName(), "");
    }
}
