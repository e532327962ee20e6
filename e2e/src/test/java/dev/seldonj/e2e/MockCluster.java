package dev.seldonj.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What a real cluster has that fabric8's CRUD mock API server needs to be given, and `kubectl apply` of rendered objects. */
final class MockCluster {

  static final ResourceDefinitionContext MAPPINGS = new ResourceDefinitionContext.Builder()
      .withGroup("getambassador.io").withVersion("v3alpha1").withKind("Mapping").withPlural("mappings")
      .withNamespaced(true).build();

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private MockCluster() {}

  /**
   * Emissary's Mapping CRD (installed with Emissary on a cluster), schemaless, so that the controller's
   * Mapping informer finds the kind.
   */
  static void installEmissaryMappingCrd(KubernetesClient client) {
    client.resource(new CustomResourceDefinitionBuilder()
        .withNewMetadata().withName("mappings.getambassador.io").endMetadata()
        .withNewSpec().withGroup("getambassador.io").withScope("Namespaced")
        .withNewNames().withKind("Mapping").withPlural("mappings").withSingular("mapping").endNames()
        .addNewVersion().withName("v3alpha1").withServed(true).withStorage(true)
        .withNewSchema().withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema().endSchema().endVersion()
        .endSpec().build()).create();
  }

  /**
   * JOSDK's leader election first asks whether it may use Leases (a SelfSubjectRulesReview), which the
   * CRUD mock cannot answer: answer it as the chart's RBAC would.
   */
  static void allowLeases(KubernetesMockServer server) {
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().addNewResourceRule()
            .withApiGroups("coordination.k8s.io").withResources("leases").withVerbs("*").endResourceRule()
            .withIncomplete(false).endStatus().build())
        .always();
  }

  /** Creates the rendered objects of the given kinds (as {@code kubectl apply} would); returns what was created. */
  static List<HasMetadata> create(KubernetesClient client, List<JsonNode> rendered, Set<String> kinds) {
    List<HasMetadata> created = new ArrayList<>();
    for (JsonNode object : rendered) {
      if (kinds.contains(object.path("kind").asText())) {
        HasMetadata typed = SERIALIZATION.unmarshal(object.toString());
        created.add(client.resource(typed).create());
      }
    }
    return created;
  }

  /** Every Mapping of a namespace. */
  static List<GenericKubernetesResource> mappings(KubernetesClient client, String namespace) {
    return client.genericKubernetesResources(MAPPINGS).inNamespace(namespace).list().getItems();
  }
}
