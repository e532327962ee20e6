package dev.seldonj.desired;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTargetBuilder;
import java.util.ArrayList;
import java.util.List;

/** Converts {@code hpaSpec.metrics} (autoscaling/v2beta1, as users wrote them for Seldon) to autoscaling/v2. */
final class HpaMetrics {

    private HpaMetrics() {}

    static List<MetricSpec> toV2(List<io.fabric8.kubernetes.api.model.autoscaling.v2beta1.MetricSpec> metrics) {
        List<MetricSpec> converted = new ArrayList<>();
        if (metrics == null) {
            return converted;
        }
        for (var m : metrics) {
            MetricSpecBuilder b = new MetricSpecBuilder().withType(m.getType());
            if (m.getResource() != null) {
                var r = m.getResource();
                b.withNewResource()
                        .withName(r.getName())
                        .withTarget(target(r.getTargetAverageUtilization(), r.getTargetAverageValue(), null))
                        .endResource();
            }
            if (m.getContainerResource() != null) {
                var r = m.getContainerResource();
                b.withNewContainerResource()
                        .withName(r.getName())
                        .withContainer(r.getContainer())
                        .withTarget(target(r.getTargetAverageUtilization(), r.getTargetAverageValue(), null))
                        .endContainerResource();
            }
            if (m.getPods() != null) {
                var p = m.getPods();
                b.withNewPods()
                        .withNewMetric()
                        .withName(p.getMetricName())
                        .withSelector(p.getSelector())
                        .endMetric()
                        .withTarget(target(null, p.getTargetAverageValue(), null))
                        .endPods();
            }
            if (m.getExternal() != null) {
                var e = m.getExternal();
                b.withNewExternal()
                        .withNewMetric()
                        .withName(e.getMetricName())
                        .withSelector(e.getMetricSelector())
                        .endMetric()
                        .withTarget(target(null, e.getTargetAverageValue(), e.getTargetValue()))
                        .endExternal();
            }
            if (m.getObject() != null) {
                var o = m.getObject();
                b.withNewObject()
                        .withNewMetric()
                        .withName(o.getMetricName())
                        .withSelector(o.getSelector())
                        .endMetric()
                        .withNewDescribedObject()
                        .withApiVersion(
                                o.getTarget() == null ? null : o.getTarget().getApiVersion())
                        .withKind(o.getTarget() == null ? null : o.getTarget().getKind())
                        .withName(o.getTarget() == null ? null : o.getTarget().getName())
                        .endDescribedObject()
                        .withTarget(target(null, o.getAverageValue(), o.getTargetValue()))
                        .endObject();
            }
            converted.add(b.build());
        }
        return converted;
    }

    private static MetricTarget target(Integer averageUtilization, Quantity averageValue, Quantity value) {
        MetricTargetBuilder t = new MetricTargetBuilder();
        if (averageUtilization != null) {
            t.withType("Utilization").withAverageUtilization(averageUtilization);
        } else if (value != null) {
            t.withType("Value").withValue(value);
        } else {
            t.withType("AverageValue").withAverageValue(averageValue);
        }
        return t.build();
    }
}
