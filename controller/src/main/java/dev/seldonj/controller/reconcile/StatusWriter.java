package dev.seldonj.controller.reconcile;

import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.model.SeldonDeploymentStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.function.Function;

/**
 * Writes a SeldonDeployment's status: a PUT to the status subresource carrying the resourceVersion of
 * the object the status was computed from, so a status computed from a stale view is refused (409)
 * instead of overwriting a newer one. On a conflict the object is read again from the informer cache
 * and the status recomputed from it (JOSDK's {@link PrimaryUpdateAndCacheUtils}, which also puts the
 * written object in the cache the next pass reads). JOSDK's own status patch, used before, sends a
 * JSON patch computed against the cached object without any resourceVersion: last writer wins, and
 * its index-addressed operations fail (422) when the cache lags the server.
 */
final class StatusWriter {

    private StatusWriter() {}

    /** Writes {@code status} of the current object; the function is called again on the fresh object after a conflict. */
    static void write(
            SeldonDeployment sdep,
            Context<SeldonDeployment> context,
            Function<SeldonDeployment, SeldonDeploymentStatus> status) {
        PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(
                sdep, context, fresh -> statusOnly(fresh, status.apply(fresh)));
    }

    /** A copy carrying what a status write needs, so nothing of the cached object is changed or sent back but the status. */
    static SeldonDeployment statusOnly(SeldonDeployment sdep, SeldonDeploymentStatus status) {
        SeldonDeployment copy = new SeldonDeployment();
        copy.setMetadata(new ObjectMetaBuilder()
                .withName(sdep.getMetadata().getName())
                .withNamespace(sdep.getMetadata().getNamespace())
                .withUid(sdep.getMetadata().getUid())
                .withResourceVersion(sdep.getMetadata().getResourceVersion())
                .withGeneration(sdep.getMetadata().getGeneration())
                .build());
        copy.setSpec(sdep.getSpec());
        copy.setStatus(status);
        return copy;
    }
}
