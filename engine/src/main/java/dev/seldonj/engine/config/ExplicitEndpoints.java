package dev.seldonj.engine.config;

import dev.seldonj.api.graph.Graph;
import dev.seldonj.api.model.Endpoint;
import dev.seldonj.api.model.EndpointType;
import dev.seldonj.api.model.PredictorSpec;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.model.Transport;
import java.util.HashMap;
import java.util.Map;

/**
 * The endpoints a {@code --file} names itself. Seldon's executor reads that file as written, so an explicit
 * {@code service_host}, {@code service_port}, {@code httpPort} or {@code grpcPort} wins over the operator's
 * defaulting (which would put a node with a container on {@code localhost:9000}); defaulting only fills in what
 * is missing. A {@code service_port} given without the port of the node's transport stands for that port.
 */
final class ExplicitEndpoints {

    /** Per predictor name, per node name, the endpoint as the file wrote it (a copy). */
    private final Map<String, Map<String, Endpoint>> written = new HashMap<>();

    private ExplicitEndpoints() {}

    /** Remembers the endpoints of {@code sdep} before it is defaulted. */
    static ExplicitEndpoints of(SeldonDeployment sdep) {
        ExplicitEndpoints e = new ExplicitEndpoints();
        if (sdep.getSpec() == null || sdep.getSpec().getPredictors() == null) {
            return e;
        }
        for (PredictorSpec p : sdep.getSpec().getPredictors()) {
            Map<String, Endpoint> nodes = e.written.computeIfAbsent(p.getName(), k -> new HashMap<>());
            Graph.walk(p.getGraph(), "", (path, unit) -> {
                if (unit.getEndpoint() != null && unit.getName() != null) {
                    nodes.put(unit.getName(), copy(unit.getEndpoint()));
                }
            });
        }
        return e;
    }

    /** Puts the remembered fields back onto the defaulted copy; what the file left out stays defaulted. */
    SeldonDeployment restore(SeldonDeployment defaulted) {
        Transport transport = defaulted.getSpec().getTransport();
        for (PredictorSpec p : defaulted.getSpec().getPredictors()) {
            Map<String, Endpoint> nodes = written.getOrDefault(p.getName(), Map.of());
            Graph.walk(p.getGraph(), "", (path, unit) -> {
                Endpoint given = nodes.get(unit.getName());
                if (given != null) {
                    unit.setEndpoint(merge(given, unit.getEndpoint(), transport));
                }
            });
        }
        return defaulted;
    }

    private static Endpoint merge(Endpoint given, Endpoint defaulted, Transport transport) {
        Endpoint e = defaulted == null ? new Endpoint() : defaulted;
        if (given.getType() != null) {
            e.setType(given.getType());
        }
        boolean grpc = e.getType() != null ? e.getType() == EndpointType.GRPC : transport == Transport.GRPC;
        if (given.getServiceHost() != null && !given.getServiceHost().isEmpty()) {
            e.setServiceHost(given.getServiceHost());
        }
        Integer transportPort = grpc ? given.getGrpcPort() : given.getHttpPort();
        Integer servicePort = given.getServicePort() != null ? given.getServicePort() : transportPort;
        if (servicePort != null) {
            e.setServicePort(servicePort);
        }
        Integer http = given.getHttpPort() != null ? given.getHttpPort() : !grpc ? given.getServicePort() : null;
        Integer grpcPort = given.getGrpcPort() != null ? given.getGrpcPort() : grpc ? given.getServicePort() : null;
        if (http != null) {
            e.setHttpPort(http);
        }
        if (grpcPort != null) {
            e.setGrpcPort(grpcPort);
        }
        return e;
    }

    private static Endpoint copy(Endpoint from) {
        Endpoint e = new Endpoint();
        e.setServiceHost(from.getServiceHost());
        e.setServicePort(from.getServicePort());
        e.setType(from.getType());
        e.setHttpPort(from.getHttpPort());
        e.setGrpcPort(from.getGrpcPort());
        return e;
    }
}
