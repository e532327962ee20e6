package dev.seldonj.controller.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.model.SeldonDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one apply step: server-side apply with a fixed field manager (forcing conflicts, so a hand
 * edit of a field the controller owns is undone), skipped when the cached live object already holds
 * every desired field; then deletion of objects the SeldonDeployment controls that are no longer
 * desired (a removed predictor or graph node).
 */
final class Applier {

  static final String FIELD_MANAGER = "seldonj-controller";

  private final KubernetesClient client;

  Applier(KubernetesClient client) {
    this.client = client;
  }

  /** What one pass changed. */
  record Outcome(int applied, int unchanged, int deleted) {}

  Outcome apply(SeldonDeployment owner, List<HasMetadata> desired, LiveObjects live) {
    int applied = 0;
    int unchanged = 0;
    Set<String> wanted = new HashSet<>();
    for (HasMetadata object : desired) {
      ManagedKind kind = kindOf(object, live);
      wanted.add(key(kind, object.getMetadata().getName()));
      Optional<HasMetadata> current = live.get(kind, object.getMetadata().getNamespace(), object.getMetadata().getName());
      if (current.isPresent() && Subset.contains(tree(current.get()), tree(object))) {
        unchanged++;
        continue;
      }
      HasMetadata result = client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      live.remember(kind, current.orElse(null), result);
      applied++;
    }
    int deleted = 0;
    for (ManagedKind kind : live.kinds()) {
      for (HasMetadata existing : live.owned(kind, owner)) {
        if (!wanted.contains(key(kind, existing.getMetadata().getName()))) {
          client.resource(existing).delete();
          deleted++;
        }
      }
    }
    return new Outcome(applied, unchanged, deleted);
  }

  private static ManagedKind kindOf(HasMetadata object, LiveObjects live) {
    return live.kinds().stream().filter(k -> k.matches(object)).findFirst()
        .orElseThrow(() -> new IllegalStateException(
            "no informer for " + object.getApiVersion() + " " + object.getKind()));
  }

  private static String key(ManagedKind kind, String name) {
    return kind.name() + "/" + name;
  }

  private static JsonNode tree(HasMetadata object) {
    return Serialization.jsonMapper().valueToTree(object);
  }
}
