package dev.seldonj.controller.reconcile;

import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A kind of object the controller creates, watched through one informer (named after the kind).
 * Optional kinds (Emissary, Istio, KEDA) are only watched when enabled, so a cluster without their
 * CRDs still works.
 */
public record ManagedKind(String name, Class<? extends HasMetadata> type, GroupVersionKind gvk) {

    static final ManagedKind DEPLOYMENT = typed(Deployment.class);
    static final ManagedKind SERVICE = typed(Service.class);
    static final ManagedKind HPA = typed(HorizontalPodAutoscaler.class);
    static final ManagedKind PDB = typed(PodDisruptionBudget.class);
    static final ManagedKind MAPPING = generic("getambassador.io", "v3alpha1", "Mapping");
    static final ManagedKind VIRTUAL_SERVICE = generic("networking.istio.io", "v1beta1", "VirtualService");
    static final ManagedKind DESTINATION_RULE = generic("networking.istio.io", "v1beta1", "DestinationRule");
    static final ManagedKind SCALED_OBJECT = generic("keda.sh", "v1alpha1", "ScaledObject");

    /** The kinds the controller watches and writes with this configuration. */
    public static List<ManagedKind> enabled(OperatorConfig config) {
        List<ManagedKind> kinds = new ArrayList<>(List.of(DEPLOYMENT, SERVICE, HPA, PDB));
        if (config.ambassador().enabled()) {
            kinds.add(MAPPING);
        }
        if (config.istio().enabled()) {
            kinds.add(VIRTUAL_SERVICE);
            kinds.add(DESTINATION_RULE);
        }
        if (config.keda().enabled()) {
            kinds.add(SCALED_OBJECT);
        }
        return List.copyOf(kinds);
    }

    /** A third-party kind, handled as a generic resource (its CRD may not be installed). */
    public boolean generic() {
        return gvk != null;
    }

    /** Whether an object (typed or generic) is of this kind. */
    boolean matches(HasMetadata object) {
        return object.getKind().equals(kind()) && object.getApiVersion().equals(apiVersion());
    }

    public String kind() {
        return gvk != null ? gvk.getKind() : HasMetadata.getKind(type);
    }

    public String apiVersion() {
        return gvk != null ? gvk.apiVersion() : HasMetadata.getApiVersion(type);
    }

    private static ManagedKind typed(Class<? extends HasMetadata> type) {
        return new ManagedKind(HasMetadata.getKind(type).toLowerCase(Locale.ROOT), type, null);
    }

    private static ManagedKind generic(String group, String version, String kind) {
        return new ManagedKind(
                kind.toLowerCase(Locale.ROOT),
                GenericKubernetesResource.class,
                new GroupVersionKind(group, version, kind));
    }
}
