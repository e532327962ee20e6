package dev.seldonj.desired;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Metadata every created object shares: name, namespace, labels and the owner reference. */
final class KubeObjects {

    private KubeObjects() {}

    static ObjectMeta meta(PredictorContext ctx, String name, Map<String, String> labels) {
        ObjectMetaBuilder meta = new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(ctx.namespace())
                .withLabels(new LinkedHashMap<>(labels));
        ctx.owner().ifPresent(meta::addToOwnerReferences);
        return meta.build();
    }
}
