package dev.seldonj.api.defaults;

import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.graph.Implementations;
import dev.seldonj.api.mapping.ManifestMapper;
import dev.seldonj.api.model.Endpoint;
import dev.seldonj.api.model.EndpointType;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictiveUnitType;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.model.SeldonDeploymentSpec;
import dev.seldonj.api.model.SeldonPodSpec;
import dev.seldonj.api.model.Transport;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Seldon's defaulting (its {@code SeldonDeployment.Default()}), as a pure function: returns a defaulted
 * copy and leaves its input untouched. Like Seldon, the result is used to build objects and is never
 * written back to the resource's spec.
 *
 * <ul>
 *   <li>namespace {@code default} when empty; predictor label {@code version} = predictor name;
 *   <li>graph node type MODEL when type, methods and implementation are all unset; prepackaged
 *       servers are MODELs; implementation UNKNOWN_IMPLEMENTATION when unset;
 *   <li>a container is added to {@code componentSpecs[0]} for each prepackaged node that has none;
 *   <li>each distinct container name gets HTTP, gRPC and metrics ports counting up from the bases
 *       (shared across predictors), kept when the container already names {@code http}/{@code grpc};
 *   <li>endpoints: host {@code localhost} for nodes in the engine's pod (componentSpecs[0]), else the
 *       node's Service; {@code service_port} for the node's transport; both ports always set.
 * </ul>
 */
public final class Defaulter {

    public static final String DEFAULT_NAMESPACE = "default";
    public static final String ANNOTATION_ENGINE_SEPARATE_POD = "seldon.io/engine-separate-pod";
    public static final String PORT_HTTP = "http";
    public static final String PORT_GRPC = "grpc";
    public static final String PORT_METRICS = "metrics";
    public static final String LABEL_VERSION = "version";

    private final DefaultingConfig config;

    public Defaulter(DefaultingConfig config) {
        this.config = config;
    }

    /** Ports given to one container. */
    public record ContainerPorts(int http, int grpc, int metrics) {}

    public SeldonDeployment apply(SeldonDeployment original) {
        SeldonDeployment sdep =
                ManifestMapper.mapper().convertValue(ManifestMapper.toTree(original), SeldonDeployment.class);
        if (sdep.getMetadata() == null) {
            sdep.setMetadata(new ObjectMeta());
        }
        if (sdep.getMetadata().getNamespace() == null
                || sdep.getMetadata().getNamespace().isEmpty()) {
            sdep.getMetadata().setNamespace(DEFAULT_NAMESPACE);
        }
        SeldonDeploymentSpec spec = sdep.getSpec();
        if (spec == null || spec.getPredictors() == null) {
            return sdep;
        }
        Map<String, ContainerPorts> ports = new HashMap<>();
        PortCounter counter = new PortCounter();
        for (PredictorSpec p : spec.getPredictors()) {
            Map<String, String> labels =
                    p.getLabels() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(p.getLabels());
            labels.putIfAbsent(LABEL_VERSION, p.getName());
            p.setLabels(labels);
            Graph.walk(p.getGraph(), "", (path, unit) -> defaultUnitType(unit));
            addPrepackagedContainers(spec.getProtocol(), p);
            assignPorts(p, ports, counter);
            boolean separateEnginePod = spec.getAnnotations() != null
                    && "true".equals(spec.getAnnotations().get(ANNOTATION_ENGINE_SEPARATE_POD));
            Graph.walk(
                    p.getGraph(), "", (path, unit) -> defaultEndpoint(sdep, spec, p, unit, ports, separateEnginePod));
        }
        return sdep;
    }

    private static void defaultUnitType(PredictiveUnit unit) {
        if (unit.getType() == null
                && (unit.getMethods() == null || unit.getMethods().isEmpty())
                && unit.getImplementation() == null) {
            unit.setType(PredictiveUnitType.MODEL);
        }
        if (unit.getImplementation() == null) {
            unit.setImplementation(Implementations.UNKNOWN_IMPLEMENTATION);
        }
        if (Implementations.isPrepackaged(unit.getImplementation())) {
            unit.setType(PredictiveUnitType.MODEL);
        }
    }

    private void addPrepackagedContainers(Protocol protocol, PredictorSpec p) {
        List<PredictiveUnit> prepackaged = new ArrayList<>();
        Graph.walk(p.getGraph(), "", (path, unit) -> {
            if (Implementations.isPrepackaged(unit.getImplementation()) && findContainer(p, unit.getName()) == null) {
                prepackaged.add(unit);
            }
        });
        for (PredictiveUnit unit : prepackaged) {
            if (p.getComponentSpecs() == null || p.getComponentSpecs().isEmpty()) {
                p.setComponentSpecs(new ArrayList<>(List.of(new SeldonPodSpec())));
            }
            SeldonPodSpec pod = p.getComponentSpecs().get(0);
            if (pod.getSpec() == null) {
                pod.setSpec(new PodSpec());
            }
            Container c = new Container();
            c.setName(unit.getName());
            config.serverImages()
                    .image(unit.getImplementation(), protocol == null ? Protocol.SELDON : protocol)
                    .ifPresent(c::setImage);
            List<Container> containers = new ArrayList<>(pod.getSpec().getContainers());
            containers.add(c);
            pod.getSpec().setContainers(containers);
        }
    }

    private void assignPorts(PredictorSpec p, Map<String, ContainerPorts> ports, PortCounter counter) {
        if (p.getComponentSpecs() == null) {
            return;
        }
        for (SeldonPodSpec pod : p.getComponentSpecs()) {
            if (pod == null || pod.getSpec() == null) {
                continue;
            }
            for (Container c : pod.getSpec().getContainers()) {
                if (!isGraphNode(p, c.getName())) {
                    continue;
                }
                ContainerPorts assigned = ports.computeIfAbsent(
                        c.getName(),
                        name -> new ContainerPorts(
                                declaredPort(c, PORT_HTTP, () -> config.httpPortBase() + counter.http++),
                                declaredPort(c, PORT_GRPC, () -> config.grpcPortBase() + counter.grpc++),
                                declaredPort(c, PORT_METRICS, () -> config.metricsPortBase() + counter.metrics++)));
                List<ContainerPort> containerPorts = new ArrayList<>(c.getPorts());
                addPortIfMissing(containerPorts, PORT_HTTP, assigned.http());
                addPortIfMissing(containerPorts, PORT_GRPC, assigned.grpc());
                addPortIfMissing(containerPorts, PORT_METRICS, assigned.metrics());
                c.setPorts(containerPorts);
            }
        }
    }

    private static boolean isGraphNode(PredictorSpec p, String containerName) {
        return Graph.find(p.getGraph(), containerName).isPresent();
    }

    private static int declaredPort(Container c, String name, IntSupplier next) {
        for (ContainerPort port : c.getPorts()) {
            if (name.equals(port.getName()) && port.getContainerPort() != null) {
                return port.getContainerPort();
            }
        }
        return next.getAsInt();
    }

    private static void addPortIfMissing(List<ContainerPort> ports, String name, int number) {
        if (ports.stream().noneMatch(port -> name.equals(port.getName()))) {
            ports.add(new ContainerPortBuilder()
                    .withName(name)
                    .withContainerPort(number)
                    .withProtocol("TCP")
                    .build());
        }
    }

    private static void defaultEndpoint(
            SeldonDeployment sdep,
            SeldonDeploymentSpec spec,
            PredictorSpec p,
            PredictiveUnit unit,
            Map<String, ContainerPorts> ports,
            boolean separateEnginePod) {
        ContainerPorts assigned = ports.get(unit.getName());
        if (assigned == null || Implementations.isBuiltIn(unit.getImplementation())) {
            return;
        }
        Endpoint endpoint = unit.getEndpoint() == null ? new Endpoint() : unit.getEndpoint();
        if (endpoint.getType() == null) {
            endpoint.setType(spec.getTransport() == Transport.GRPC ? EndpointType.GRPC : EndpointType.REST);
        }
        boolean inEnginePod = !separateEnginePod && containerIndex(p, unit.getName()) == 0;
        endpoint.setServiceHost(
                inEnginePod
                        ? "localhost"
                        : containerServiceName(sdep.getMetadata().getName(), p.getName(), unit.getName()) + "."
                                + sdep.getMetadata().getNamespace() + ".svc.cluster.local");
        endpoint.setHttpPort(assigned.http());
        endpoint.setGrpcPort(assigned.grpc());
        endpoint.setServicePort(endpoint.getType() == EndpointType.GRPC ? assigned.grpc() : assigned.http());
        unit.setEndpoint(endpoint);
    }

    /** The Service Seldon creates for one container: {@code <sdep>-<predictor>-<container>}, shortened when too long. */
    public static String containerServiceName(String sdep, String predictor, String container) {
        return Names.kubernetesName(sdep + "-" + predictor + "-" + container);
    }

    /** Index of the componentSpec holding a container, or -1. */
    public static int containerIndex(PredictorSpec p, String containerName) {
        if (p.getComponentSpecs() == null) {
            return -1;
        }
        for (int i = 0; i < p.getComponentSpecs().size(); i++) {
            SeldonPodSpec pod = p.getComponentSpecs().get(i);
            if (pod != null
                    && pod.getSpec() != null
                    && pod.getSpec().getContainers().stream().anyMatch(c -> containerName.equals(c.getName()))) {
                return i;
            }
        }
        return -1;
    }

    /** A container of the predictor by name, or null. */
    public static Container findContainer(PredictorSpec p, String name) {
        int index = containerIndex(p, name);
        if (index < 0) {
            return null;
        }
        return p.getComponentSpecs().get(index).getSpec().getContainers().stream()
                .filter(c -> name.equals(c.getName()))
                .findFirst()
                .orElse(null);
    }

    private static final class PortCounter {
        int http;
        int grpc;
        int metrics;
    }
}
