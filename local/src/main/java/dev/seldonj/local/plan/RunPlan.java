package dev.seldonj.local.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.manifest.Manifests;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to run, read from the objects a SeldonDeployment renders to: one pod per Deployment, the
 * Services that address them, and the Emissary Mappings the gateway routes by. Every other kind
 * (HPA, PDB, Istio...) has no meaning on one machine and is ignored.
 */
public record RunPlan(List<PodPlan> pods, List<ServicePlan> services, List<RouteMapping> mappings) {

    private static final String DEFAULT_NAMESPACE = "default";

    public static RunPlan of(List<? extends HasMetadata> objects) {
        return of(objects, DEFAULT_NAMESPACE);
    }

    /** Builds the plan; objects without a namespace land in {@code defaultNamespace}, as {@code kubectl apply -n} would. */
    public static RunPlan of(List<? extends HasMetadata> objects, String defaultNamespace) {
        List<PodPlan> pods = new ArrayList<>();
        List<ServicePlan> services = new ArrayList<>();
        List<RouteMapping> mappings = new ArrayList<>();
        for (HasMetadata object : objects) {
            String namespace = Optional.ofNullable(object.getMetadata().getNamespace())
                    .filter(s -> !s.isEmpty())
                    .orElse(defaultNamespace);
            if (object instanceof Deployment deployment) {
                pods.add(pod(namespace, deployment));
            } else if (object instanceof Service service) {
                services.add(new ServicePlan(
                        namespace,
                        service.getMetadata().getName(),
                        service.getSpec().getSelector(),
                        service.getSpec().getPorts()));
            } else if (object instanceof GenericKubernetesResource generic && RouteMapping.isMapping(generic)) {
                mappings.add(RouteMapping.of(generic, namespace));
            }
        }
        return new RunPlan(List.copyOf(pods), List.copyOf(services), List.copyOf(mappings));
    }

    /** Reads a {@code ---}-separated YAML (or JSON) stream of Kubernetes objects, as {@code render} prints it. */
    public static RunPlan fromYaml(String text, String source, String defaultNamespace) {
        List<HasMetadata> objects = new ArrayList<>();
        for (JsonNode document : Manifests.documents(text, source)) {
            if (document == null || document.isNull() || document.isEmpty()) {
                continue;
            }
            if (!document.hasNonNull("kind") || !document.hasNonNull("apiVersion")) {
                throw new IllegalArgumentException(source + ": document " + (objects.size() + 1)
                        + " is not a Kubernetes object (it needs apiVersion and kind)");
            }
            objects.add(Serialization.unmarshal(document.toString(), HasMetadata.class));
        }
        return of(objects, defaultNamespace);
    }

    public Optional<ServicePlan> service(String namespace, String name) {
        return services.stream()
                .filter(s -> s.namespace().equals(namespace) && s.name().equals(name))
                .findFirst();
    }

    /** The pod a Service selects (the first one: locally each Deployment has one pod). */
    public Optional<PodPlan> podSelectedBy(ServicePlan service) {
        return pods.stream()
                .filter(p -> p.matches(service.namespace(), service.selector()))
                .findFirst();
    }

    private static PodPlan pod(String namespace, Deployment deployment) {
        var template = deployment.getSpec().getTemplate();
        Map<String, String> labels =
                template.getMetadata() == null || template.getMetadata().getLabels() == null
                        ? Map.of()
                        : Map.copyOf(template.getMetadata().getLabels());
        return new PodPlan(
                namespace,
                deployment.getMetadata().getName(),
                labels,
                List.copyOf(template.getSpec().getInitContainers()),
                List.copyOf(template.getSpec().getContainers()),
                List.copyOf(template.getSpec().getVolumes()));
    }
}
