package dev.seldonj.local.plan;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.manifest.Manifests;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
      String namespace = Optional.ofNullable(object.getMetadata().getNamespace()).filter(s -> !s.isEmpty())
          .orElse(defaultNamespace);
      if (object instanceof Deployment deployment) {
        pods.add(pod(namespace, deployment));
      } else if (object instanceof Service service) {
        services.add(new ServicePlan(namespace, service.getMetadata().getName(),
            service.getSpec().getSelector(), service.getSpec().getPorts()));
      } else if (object instanceof GenericKubernetesResource generic && isMapping(generic)) {
        mappings.add(mapping(namespace, generic));
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
    return services.stream().filter(s -> s.namespace().equals(namespace) && s.name().equals(name)).findFirst();
  }

  /** The pod a Service selects (the first one: locally each Deployment has one pod). */
  public Optional<PodPlan> podSelectedBy(ServicePlan service) {
    return pods.stream().filter(p -> p.matches(service.namespace(), service.selector())).findFirst();
  }

  private static PodPlan pod(String namespace, Deployment deployment) {
    var template = deployment.getSpec().getTemplate();
    Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null
        ? Map.of() : Map.copyOf(template.getMetadata().getLabels());
    return new PodPlan(namespace, deployment.getMetadata().getName(), labels,
        List.copyOf(template.getSpec().getInitContainers()), List.copyOf(template.getSpec().getContainers()));
  }

  private static boolean isMapping(GenericKubernetesResource resource) {
    return "Mapping".equals(resource.getKind()) && resource.getApiVersion() != null
        && resource.getApiVersion().startsWith("getambassador.io/");
  }

  @SuppressWarnings("unchecked")
  private static RouteMapping mapping(String namespace, GenericKubernetesResource resource) {
    Map<String, Object> spec = (Map<String, Object>) resource.getAdditionalProperties().getOrDefault("spec", Map.of());
    String name = resource.getMetadata().getName();
    Object prefix = spec.get("prefix");
    Object service = spec.get("service");
    if (prefix == null || service == null) {
      throw new IllegalArgumentException("Mapping " + namespace + "/" + name + ": spec.prefix and spec.service are required");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    if (spec.get("headers") instanceof Map<?, ?> map) {
      map.forEach((k, v) -> headers.put(String.valueOf(k), String.valueOf(v)));
    }
    Object weight = spec.get("weight");
    return new RouteMapping(namespace, name, prefix.toString(), Boolean.TRUE.equals(spec.get("prefix_regex")),
        spec.get("rewrite") == null ? "/" : spec.get("rewrite").toString(), service.toString(),
        weight instanceof Number n ? n.intValue() : weight == null ? null : Integer.valueOf(weight.toString()),
        Boolean.TRUE.equals(spec.get("shadow")), Boolean.TRUE.equals(spec.get("grpc")), Map.copyOf(headers));
  }
}
