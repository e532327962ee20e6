package dev.seldonj.controller.reconcile;

import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.desired.SeldonLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The informer caches of the objects the controller creates, one per {@link ManagedKind}, filtered to
 * {@code app.kubernetes.io/managed-by=seldon-core} so the controller never caches unrelated objects.
 * Their events map back to the owning SeldonDeployment through owner references, which is how a
 * child deleted or edited by hand is noticed and restored.
 */
final class LiveObjects {

    static final String MANAGED_SELECTOR = SeldonLabels.MANAGED_BY + "=" + SeldonLabels.MANAGED_BY_VALUE;

    private final Map<ManagedKind, InformerEventSource<HasMetadata, SeldonDeployment>> sources = new LinkedHashMap<>();

    @SuppressWarnings({"unchecked", "rawtypes"})
    List<EventSource<?, SeldonDeployment>> create(
            List<ManagedKind> kinds, EventSourceContext<SeldonDeployment> context) {
        List<EventSource<?, SeldonDeployment>> created = new ArrayList<>();
        for (ManagedKind kind : kinds) {
            InformerEventSourceConfiguration.Builder builder = kind.generic()
                    ? InformerEventSourceConfiguration.from(kind.gvk(), SeldonDeployment.class)
                    : InformerEventSourceConfiguration.from(kind.type(), SeldonDeployment.class);
            InformerEventSourceConfiguration configuration = builder.withName(kind.name())
                    .withLabelSelector(MANAGED_SELECTOR)
                    .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(SeldonDeployment.class, false))
                    .build();
            InformerEventSource source = new InformerEventSource(configuration, context);
            sources.put(kind, source);
            created.add(source);
        }
        return created;
    }

    /** The kinds being watched. */
    List<ManagedKind> kinds() {
        return List.copyOf(sources.keySet());
    }

    /** Objects of a kind the SeldonDeployment controls (owner reference with its uid). */
    List<HasMetadata> owned(ManagedKind kind, SeldonDeployment owner) {
        String uid = owner.getMetadata().getUid();
        return source(kind).getSecondaryResources(owner).stream()
                .filter(o -> o.getMetadata().getOwnerReferences().stream()
                        .anyMatch(ref ->
                                uid != null && uid.equals(ref.getUid()) && Boolean.TRUE.equals(ref.getController())))
                .toList();
    }

    Optional<HasMetadata> get(ManagedKind kind, String namespace, String name) {
        return source(kind).get(new ResourceID(name, namespace));
    }

    /** Puts what the API server answered into the cache at once, so the next pass sees the controller's own write. */
    void remember(ManagedKind kind, HasMetadata previous, HasMetadata applied) {
        ResourceID id = ResourceID.fromResource(applied);
        if (previous == null) {
            source(kind).handleRecentResourceCreate(id, applied);
        } else {
            source(kind).handleRecentResourceUpdate(id, applied, previous);
        }
    }

    private InformerEventSource<HasMetadata, SeldonDeployment> source(ManagedKind kind) {
        InformerEventSource<HasMetadata, SeldonDeployment> source = sources.get(kind);
        if (source == null) {
            throw new IllegalStateException("no informer for " + kind.name());
        }
        return source;
    }
}
