package dev.seldonj.desired;

import static dev.seldonj.desired.Fixtures.generic;
import static dev.seldonj.desired.Fixtures.named;
import static dev.seldonj.desired.Fixtures.ofType;
import static dev.seldonj.desired.Fixtures.render;
import static dev.seldonj.desired.Fixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoscalersTest {

    static final String SCALED = """
      apiVersion: machinelearning.seldon.io/v1
      kind: SeldonDeployment
      metadata: {name: s}
      spec:
        predictors:
        - name: p
          componentSpecs:
          - spec:
              containers: [{name: m, image: example/m:1}]
            hpaSpec:
              minReplicas: 1
              maxReplicas: 4
              metrics:
              - type: Resource
                resource: {name: cpu, targetAverageUtilization: 70}
            kedaSpec:
              minReplicaCount: 1
              maxReplicaCount: 5
              triggers:
              - type: prometheus
                metadata: {threshold: "10"}
            pdbSpec: {minAvailable: 1}
          graph: {name: m, type: MODEL}
      """;

    @Test
    void hpaConvertsV2beta1MetricsAndTargetsTheDeployment() {
        List<HasMetadata> objects = render(SCALED);
        HorizontalPodAutoscaler hpa = named(objects, HorizontalPodAutoscaler.class, "s-p-0-m");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("s-p-0-m");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(4);
        var metric = hpa.getSpec().getMetrics().get(0).getResource();
        assertThat(metric.getName()).isEqualTo("cpu");
        assertThat(metric.getTarget().getType()).isEqualTo("Utilization");
        assertThat(metric.getTarget().getAverageUtilization()).isEqualTo(70);
        assertThat(named(objects, Deployment.class, "s-p-0-m").getSpec().getReplicas())
                .isNull();
        assertThat(objects).noneMatch(o -> o.getKind().equals("ScaledObject"));
    }

    @Test
    void kedaTakesPrecedenceWhenEnabled() {
        List<HasMetadata> objects = render(SCALED, "keda: {enabled: true}");
        assertThat(ofType(objects, HorizontalPodAutoscaler.class)).isEmpty();
        var scaled = generic(objects, "ScaledObject", "s-p-0-m");
        assertThat(scaled.getApiVersion()).isEqualTo("keda.sh/v1alpha1");
        assertThat(spec(scaled))
                .containsEntry("scaleTargetRef", Map.of("name", "s-p-0-m"))
                .containsEntry("maxReplicaCount", 5);
    }

    @Test
    void pdbSelectsTheDeploymentsPods() {
        List<HasMetadata> objects = render(SCALED);
        PodDisruptionBudget pdb = named(objects, PodDisruptionBudget.class, "s-p-0-m");
        assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
        assertThat(pdb.getSpec().getSelector().getMatchLabels())
                .isEqualTo(named(objects, Deployment.class, "s-p-0-m")
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());
    }
}
