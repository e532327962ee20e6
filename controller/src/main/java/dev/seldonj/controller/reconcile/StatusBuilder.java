package dev.seldonj.controller.reconcile;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.Address;
import dev.seldonj.api.model.Condition;
import dev.seldonj.api.model.DeploymentStatus;
import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.model.SeldonDeploymentStatus;
import dev.seldonj.api.model.ServiceStatus;
import dev.seldonj.api.validation.Problem;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rebuilds a SeldonDeployment's status from what is observed (seldon-v1.md 1.3): Available when every
 * desired Deployment has its replicas available and every other object exists, Failed when a
 * Deployment stopped progressing or the resource is invalid, Creating otherwise. Condition
 * transition times only move when a condition's status changes, so an unchanged world gives an equal
 * status and nothing is written.
 */
final class StatusBuilder {

    static final String AVAILABLE = "Available";
    static final String CREATING = "Creating";
    static final String FAILED = "Failed";

    private final Clock clock;
    private final int engineHttpPort;

    StatusBuilder(Clock clock, int engineHttpPort) {
        this.clock = clock;
        this.engineHttpPort = engineHttpPort;
    }

    /** Status for a resource that failed validation: every problem with its path, nothing applied. */
    SeldonDeploymentStatus invalid(SeldonDeployment sdep, List<Problem> problems) {
        SeldonDeploymentStatus status = new SeldonDeploymentStatus();
        status.setState(FAILED);
        status.setDescription("Invalid SeldonDeployment: "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
        status.setObservedGeneration(sdep.getMetadata().getGeneration());
        status.setConditions(conditions(sdep, Map.of("Ready", reason(false, "InvalidSpec", status.getDescription()))));
        return status;
    }

    /** Status for a pass that could not apply its objects. */
    SeldonDeploymentStatus failed(SeldonDeployment sdep, String description) {
        SeldonDeploymentStatus status = sdep.getStatus() == null
                ? new SeldonDeploymentStatus()
                : Manifests.mapper().convertValue(Manifests.toTree(sdep.getStatus()), SeldonDeploymentStatus.class);
        status.setState(FAILED);
        status.setDescription(description);
        status.setObservedGeneration(sdep.getMetadata().getGeneration());
        status.setConditions(conditions(sdep, Map.of("Ready", reason(false, "ReconcileError", description))));
        return status;
    }

    /** Status from the desired objects and the observed ones. */
    SeldonDeploymentStatus observed(SeldonDeployment sdep, List<HasMetadata> desired, LiveObjects live) {
        String ns = sdep.getMetadata().getNamespace();
        SeldonDeploymentStatus status = new SeldonDeploymentStatus();
        Map<String, DeploymentStatus> deployments = new LinkedHashMap<>();
        Map<String, ServiceStatus> services = new LinkedHashMap<>();
        boolean deploymentsReady = true;
        String failure = null;
        Integer firstReplicas = null;
        int missing = 0;
        for (HasMetadata object : desired) {
            String name = object.getMetadata().getName();
            ManagedKind kind = live.kinds().stream()
                    .filter(k -> k.matches(object))
                    .findFirst()
                    .orElseThrow();
            Optional<HasMetadata> current = live.get(kind, ns, name);
            if (object instanceof Deployment wanted) {
                Deployment seen = (Deployment) current.orElse(null);
                DeploymentStatus ds = new DeploymentStatus();
                int replicas = seen == null
                                || seen.getStatus() == null
                                || seen.getStatus().getReplicas() == null
                        ? 0
                        : seen.getStatus().getReplicas();
                int available = seen == null
                                || seen.getStatus() == null
                                || seen.getStatus().getAvailableReplicas() == null
                        ? 0
                        : seen.getStatus().getAvailableReplicas();
                ds.setReplicas(replicas);
                ds.setAvailableReplicas(available);
                deployments.put(name, ds);
                if (firstReplicas == null) {
                    firstReplicas = replicas;
                }
                int target = wanted.getSpec().getReplicas() != null
                        ? wanted.getSpec().getReplicas()
                        : seen != null && seen.getSpec().getReplicas() != null
                                ? seen.getSpec().getReplicas()
                                : 1;
                if (seen == null || available < target) {
                    deploymentsReady = false;
                }
                if (seen != null && notProgressing(seen)) {
                    failure = "Deployment is no longer progressing and not available.";
                }
            } else {
                if (current.isEmpty()) {
                    missing++;
                }
                if (object instanceof Service svc) {
                    services.put(name, serviceStatus(svc, ns));
                }
            }
        }
        status.setDeploymentStatus(deployments);
        status.setServiceStatus(services);
        status.setReplicas(firstReplicas == null ? 0 : firstReplicas);
        status.setAddress(address(sdep, desired));
        status.setObservedGeneration(sdep.getMetadata().getGeneration());
        boolean ready = deploymentsReady && missing == 0;
        if (failure != null && !deploymentsReady) {
            status.setState(FAILED);
            status.setDescription(failure);
        } else {
            status.setState(ready ? AVAILABLE : CREATING);
        }
        Map<String, Condition> conditions = new LinkedHashMap<>();
        conditions.put(
                "DeploymentsReady",
                deploymentsReady
                        ? reason(true, "DeploymentsAvailable", "All Deployments are available")
                        : reason(false, "DeploymentsNotReady", "Deployments are not yet available"));
        conditions.put(
                "ServicesReady",
                missing == 0
                        ? reason(true, "ServicesReady", "All objects created")
                        : reason(false, "ObjectsMissing", missing + " objects not yet created"));
        conditions.put(
                "Ready",
                ready
                        ? reason(true, "Available", "SeldonDeployment is available")
                        : reason(
                                false,
                                status.getState(),
                                failure != null ? failure : "Waiting for Deployments and objects"));
        status.setConditions(conditions(sdep, conditions));
        return status;
    }

    /** Whether the written status differs from a new one (compared as JSON, so field order does not matter). */
    static boolean changed(SeldonDeploymentStatus current, SeldonDeploymentStatus next) {
        return current == null || !Manifests.toTree(current).equals(Manifests.toTree(next));
    }

    private static boolean notProgressing(Deployment d) {
        if (d.getStatus() == null || d.getStatus().getConditions() == null) {
            return false;
        }
        for (DeploymentCondition c : d.getStatus().getConditions()) {
            if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())) {
                return true;
            }
        }
        return false;
    }

    private static ServiceStatus serviceStatus(Service svc, String ns) {
        ServiceStatus s = new ServiceStatus();
        s.setSvcName(svc.getMetadata().getName());
        for (ServicePort port : svc.getSpec().getPorts()) {
            String endpoint = svc.getMetadata().getName() + "." + ns + ":" + port.getPort();
            if ("http".equals(port.getName())) {
                s.setHttpEndpoint(endpoint);
            } else if ("grpc".equals(port.getName())) {
                s.setGrpcEndpoint(endpoint);
            }
        }
        return s;
    }

    /**
     * {@code http://<predictorSvc>.<ns>.svc.cluster.local:8000<path>} for the first predictor (whose
     * Service is the first desired Service), the path by protocol.
     */
    private Address address(SeldonDeployment sdep, List<HasMetadata> desired) {
        var predictors = sdep.getSpec().getPredictors();
        Optional<String> svc = desired.stream()
                .filter(Service.class::isInstance)
                .findFirst()
                .map(o -> o.getMetadata().getName());
        if (predictors == null || predictors.isEmpty() || svc.isEmpty()) {
            return null;
        }
        Protocol protocol = sdep.getSpec().getProtocol() == null
                ? Protocol.SELDON
                : sdep.getSpec().getProtocol();
        String graph = predictors.get(0).getGraph() == null
                ? ""
                : predictors.get(0).getGraph().getName();
        String path = switch (protocol) {
            case TENSORFLOW -> "/v1/models/" + graph + ":predict";
            case V2, KFSERVING -> "/v2/models/" + graph + "/infer";
            default -> "/api/v1.0/predictions";
        };
        Address address = new Address();
        address.setUrl("http://" + svc.get() + "." + sdep.getMetadata().getNamespace() + ".svc.cluster.local:"
                + engineHttpPort + path);
        return address;
    }

    private static Condition reason(boolean ok, String reason, String message) {
        Condition c = new Condition();
        c.setStatus(ok ? "True" : "False");
        c.setReason(reason);
        c.setMessage(message);
        return c;
    }

    /** Conditions in a fixed order; a condition keeps its transition time while its status is unchanged. */
    private List<Condition> conditions(SeldonDeployment sdep, Map<String, Condition> byType) {
        Map<String, Condition> previous =
                sdep.getStatus() == null || sdep.getStatus().getConditions() == null
                        ? Map.of()
                        : sdep.getStatus().getConditions().stream()
                                .collect(Collectors.toMap(Condition::getType, Function.identity(), (a, b) -> a));
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        List<Condition> conditions = new ArrayList<>();
        byType.forEach((type, c) -> {
            c.setType(type);
            Condition before = previous.get(type);
            c.setLastTransitionTime(
                    before != null && Objects.equals(before.getStatus(), c.getStatus())
                            ? before.getLastTransitionTime()
                            : now);
            conditions.add(c);
        });
        return conditions;
    }
}
