package dev.seldonj.node.gateway;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Mappings, Services and EndpointSlices shaped as the controller and kube-controller-manager write them. */
final class ClusterObjects {

    /** The regex prefix of Seldon's gRPC Mappings (AmbassadorMappings.GRPC_PREFIX). */
    static final String GRPC_PREFIX = "/(seldon.protos.*|tensorflow.serving.*|inference.*)/.*";

    private ClusterObjects() {}

    static GenericKubernetesResource mapping(String namespace, String name, Map<String, Object> spec) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("getambassador.io/v3alpha1")
                .withKind("Mapping")
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .withResourceVersion("1")
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    /** A REST Mapping as the controller writes it; {@code weight} null for the first predictor. */
    static GenericKubernetesResource restMapping(
            String namespace, String name, String prefix, String service, Integer weight, boolean shadow) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("hostname", "*");
        spec.put("prefix", prefix);
        spec.put("rewrite", "/");
        spec.put("service", service);
        spec.put("timeout_ms", 3000);
        if (weight != null) {
            spec.put("weight", weight);
        }
        if (shadow) {
            spec.put("shadow", true);
        }
        return mapping(namespace, name, spec);
    }

    /** A gRPC Mapping as the controller writes it: routed by the {@code seldon} and {@code namespace} headers. */
    static GenericKubernetesResource grpcMapping(String namespace, String name, String sdep, String service) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("hostname", "*");
        spec.put("prefix", GRPC_PREFIX);
        spec.put("prefix_regex", true);
        spec.put("rewrite", "");
        spec.put("grpc", true);
        spec.put("service", service);
        spec.put("headers", Map.of("seldon", sdep, "namespace", namespace));
        return mapping(namespace, name, spec);
    }

    /**
     * A predictor Service as the controller writes it: ports {@code http} and {@code grpc}, numeric
     * targetPorts, and a ClusterIP nothing may dial.
     */
    static Service service(String namespace, String name, int httpPort, int grpcPort) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withClusterIP("10.96.0.10")
                .withSelector(Map.of("seldon-app", name))
                .withPorts(
                        new ServicePortBuilder()
                                .withName("http")
                                .withPort(httpPort)
                                .withTargetPort(new IntOrString(httpPort))
                                .build(),
                        new ServicePortBuilder()
                                .withName("grpc")
                                .withPort(grpcPort)
                                .withTargetPort(new IntOrString(grpcPort))
                                .build())
                .endSpec()
                .build();
    }

    /**
     * An EndpointSlice as kube-controller-manager writes it for a Service: ports named after the
     * Service's, carrying the number the pods listen on (here the fake backends' ports).
     */
    static EndpointSlice slice(
            String namespace,
            String name,
            String service,
            Map<String, Integer> ports,
            boolean ready,
            String... addresses) {
        EndpointSliceBuilder builder = new EndpointSliceBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(name)
                .addToLabels(EndpointResolver.SERVICE_NAME_LABEL, service)
                .endMetadata()
                .withAddressType("IPv4");
        for (String address : addresses) {
            builder.addToEndpoints(new EndpointBuilder()
                    .withAddresses(address)
                    .withNewConditions()
                    .withReady(ready)
                    .withServing(ready)
                    .withTerminating(false)
                    .endConditions()
                    .build());
        }
        ports.forEach((portName, port) -> builder.addNewPort()
                .withName(portName)
                .withPort(port)
                .withProtocol("TCP")
                .endPort());
        return builder.build();
    }

    static Map<String, Integer> ports(String name, int port) {
        return Map.of(name, port);
    }
}
