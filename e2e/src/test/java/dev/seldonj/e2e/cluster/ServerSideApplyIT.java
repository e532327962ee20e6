package dev.seldonj.e2e.cluster;

import static dev.seldonj.e2e.cluster.Operators.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The controller writes its children with server-side apply: a field it stops setting disappears,
 * a hand edit of a field it owns is undone, and what others set on the same object stays. Only a
 * real API server (managed fields, apply semantics) can judge this.
 */
class ServerSideApplyIT {

  private static final Duration RECONCILED = Duration.ofMinutes(2);
  private static final String RELEASE = "ssa";
  private static TestCluster cluster;
  private static KubernetesClient client;
  private static String operatorNamespace;
  private static String namespace;

  @BeforeAll
  static void operator() {
    cluster = TestCluster.get();
    client = cluster.admin();
    Operators.cleanSlate(cluster);
    operatorNamespace = cluster.createNamespace("ssa-system");
    namespace = cluster.createNamespace("ssa-models");
    Operators.install(cluster, RELEASE, operatorNamespace);
  }

  @AfterAll
  static void uninstall() {
    Operators.uninstall(cluster, RELEASE, operatorNamespace);
    Operators.cleanSlate(cluster);
  }

  @Test
  void aLabelRemovedFromTheSeldonDeploymentDisappearsFromItsDeployment() {
    apply("labels", "{team: a, tier: gold}");
    eventually("the Deployment carries the predictor's labels", RECONCILED).until(() ->
        "a".equals(label(deployment("labels"), "team")) && "gold".equals(label(deployment("labels"), "tier")));
    apply("labels", "{team: a}");
    eventually("the removed label is gone", RECONCILED).until(() -> label(deployment("labels"), "tier") == null);
    assertThat(label(deployment("labels"), "team")).isEqualTo("a");
  }

  @Test
  void aHandEditIsUndoneOnlyInTheFieldsTheControllerOwns() {
    apply("edited", "{team: a}");
    eventually("the Deployment exists", RECONCILED).until(() -> deployment("edited") != null);
    String name = deployment("edited").getMetadata().getName();
    cluster.kubectl("label", "deployment", name, "-n", namespace, "--overwrite", "team=b", "added-by-hand=yes").orThrow();
    cluster.kubectl("annotate", "deployment", name, "-n", namespace, "note=kept").orThrow();
    eventually("the controller's label is restored", RECONCILED).until(() -> "a".equals(label(deployment("edited"), "team")));
    Deployment after = deployment("edited");
    assertThat(label(after, "added-by-hand")).isEqualTo("yes");
    assertThat(after.getMetadata().getAnnotations()).containsEntry("note", "kept");
    assertThat(after.getMetadata().getManagedFields()).anySatisfy(f -> {
      assertThat(f.getManager()).startsWith("seldonj");
      assertThat(f.getOperation()).isEqualTo("Apply");
    });
  }

  private void apply(String name, String predictorLabels) {
    cluster.kubectlWithInput("""
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: %s}
        spec:
          predictors:
          - name: default
            replicas: 0
            labels: %s
            graph: {name: classifier, type: MODEL}
            componentSpecs:
            - spec:
                containers: [{name: classifier, image: seldonj/mock-classifier:0.1.0}]
        """.formatted(name, predictorLabels), "apply", "-n", namespace, "-f", "-").orThrow();
  }

  private static Deployment deployment(String sdep) {
    return client.apps().deployments().inNamespace(namespace).withLabel("seldon-deployment-id", sdep).list().getItems()
        .stream().findFirst().orElse(null);
  }

  private static String label(Deployment deployment, String key) {
    return deployment == null || deployment.getMetadata().getLabels() == null ? null : deployment.getMetadata().getLabels().get(key);
  }
}
