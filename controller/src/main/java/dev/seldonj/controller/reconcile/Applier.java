package dev.seldonj.controller.reconcile;

import dev.seldonj.api.model.SeldonDeployment;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The one apply step: every desired object is written with server-side apply under the field manager
 * {@value #FIELD_MANAGER}, with conflicts forced; then objects the SeldonDeployment controls that are
 * no longer desired (a removed predictor or graph node) are deleted.
 *
 * <p>Why server-side apply: the API server then knows which fields the controller owns. A field the
 * controller stops applying (a label removed from the SeldonDeployment, an env var dropped) is
 * removed from the child; a hand edit of an owned field is overwritten (forced); fields owned by
 * others are kept (an HPA's replicas, the allocated clusterIP, a label another tool added). A
 * client-side "merge the desired fields over the live object and update" could do the last two but
 * never the first (a merge cannot tell "removed" from "never set"), and an update carries the cached
 * resourceVersion, so any write by another controller in between (the deployment controller's
 * status, an HPA) would cost a 409 and a retry. The same apply creates an absent object, so there is one
 * code path, and the fields of a created object are owned by the same (manager, Apply) entry as
 * later applies; a create by POST would record them under an Update entry that a later apply never
 * releases.
 *
 * <p>The field manager is one name, not one per controller id: controller ids partition the
 * SeldonDeployments, so two controllers never apply the same child at once, and when a
 * SeldonDeployment is relabelled to another controller, that controller takes the fields over as
 * their owner instead of sharing them with a manager that will never release them.
 *
 * <p>An object is not sent when the cached live object already holds every field of the apply body
 * ({@link AppliedObject#upToDate}; the body's hash annotation makes a removed field count as a
 * change), so a pass over 500 unchanged SeldonDeployments makes no write.
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
            HasMetadata body = AppliedObject.body(object);
            Optional<HasMetadata> current = live.get(
                    kind,
                    object.getMetadata().getNamespace(),
                    object.getMetadata().getName());
            if (current.isPresent() && AppliedObject.upToDate(current.get(), body)) {
                unchanged++;
                continue;
            }
            if (current.isPresent() && mustReplace(current.get(), body)) {
                // The field cannot change in place (the API server answers 422): replace the object, as Seldon does.
                client.resource(current.get())
                        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
                        .delete();
                current = Optional.empty();
            }
            HasMetadata result = client.resource(body)
                    .fieldManager(FIELD_MANAGER)
                    .forceConflicts()
                    .serverSideApply();
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

    /**
     * Immutable fields the desired object changes: a Deployment's selector, and whether a Service is
     * headless (clusterIP None cannot become an allocated address or the reverse).
     */
    static boolean mustReplace(HasMetadata live, HasMetadata desired) {
        if (live instanceof Deployment l
                && desired instanceof Deployment d
                && l.getSpec() != null
                && l.getSpec().getSelector() != null) {
            return !Objects.equals(
                    l.getSpec().getSelector().getMatchLabels(),
                    d.getSpec().getSelector().getMatchLabels());
        }
        if (live instanceof Service l && desired instanceof Service d && l.getSpec() != null) {
            return headless(l) != headless(d);
        }
        return false;
    }

    private static boolean headless(Service service) {
        return service.getSpec() != null && "None".equals(service.getSpec().getClusterIP());
    }

    private static ManagedKind kindOf(HasMetadata object, LiveObjects live) {
        return live.kinds().stream()
                .filter(k -> k.matches(object))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no informer for " + object.getApiVersion() + " " + object.getKind()));
    }

    private static String key(ManagedKind kind, String name) {
        return kind.name() + "/" + name;
    }
}
