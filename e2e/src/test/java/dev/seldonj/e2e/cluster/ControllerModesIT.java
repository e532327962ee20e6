package dev.seldonj.e2e.cluster;

import static dev.seldonj.e2e.cluster.Operators.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's scoping modes, each run as the chart's pod under the RBAC the chart gives that
 * mode (so a permission the chart forgets fails here): all namespaces, one namespace, a list of
 * namespaces, and two controllers told apart by {@code controllerId}.
 */
class ControllerModesIT {

  private static final Duration RECONCILED = Duration.ofMinutes(2);
  private final TestCluster cluster = TestCluster.get();
  private final KubernetesClient client = cluster.admin();
  private final List<String[]> releases = new java.util.ArrayList<>();

  @BeforeEach
  void cleanSlate() {
    Operators.cleanSlate(cluster);
  }

  @AfterEach
  void uninstall() {
    for (String[] release : releases) {
      Operators.uninstall(cluster, release[0], release[1]);
    }
    Operators.cleanSlate(cluster);
  }

  @Test
  void singleNamespaceReconcilesOnlyItsOwnNamespace() {
    String home = cluster.createNamespace("solo");
    String other = cluster.createNamespace("solo-other");
    install("solo", home, "singleNamespace=true");
    assertThat(cluster.kubectl("get", "clusterrole", "-o", "name").orThrow()).doesNotContain("solo-seldon-core-operator");
    apply(home, "watched", null);
    apply(other, "ignored", null);
    eventually("the SeldonDeployment in " + home + " is reconciled", RECONCILED).until(() -> deployment(home, "watched") != null);
    assertNeverReconciled(other, "ignored");
  }

  @Test
  void aNamespaceListReconcilesExactlyThoseNamespaces() {
    String operator = cluster.createNamespace("listops");
    String a = cluster.createNamespace("lista");
    String b = cluster.createNamespace("listb");
    String c = cluster.createNamespace("listc");
    install("listed", operator, "watchNamespaces={" + a + "," + b + "}");
    apply(a, "in-a", null);
    apply(b, "in-b", null);
    apply(c, "in-c", null);
    eventually("the SeldonDeployments in " + a + " and " + b + " are reconciled", RECONCILED)
        .until(() -> deployment(a, "in-a") != null && deployment(b, "in-b") != null);
    assertNeverReconciled(c, "in-c");
  }

  @Test
  void twoControllersSplitTheSeldonDeploymentsByControllerId() {
    String first = cluster.createNamespace("ctl-main");
    String second = cluster.createNamespace("ctl-team");
    String models = cluster.createNamespace("ctl-models");
    install("main", first);
    install("team", second, "controllerId=team-b", "crd.create=false");
    apply(models, "unlabelled", null);
    apply(models, "labelled", "team-b");
    eventually("both SeldonDeployments are reconciled", RECONCILED)
        .until(() -> deployment(models, "unlabelled") != null && deployment(models, "labelled") != null);
    assertThat(managers(deployment(models, "unlabelled"))).noneMatch(m -> m.contains("team-b"));
    assertThat(managers(deployment(models, "labelled"))).anyMatch(m -> m.contains("team-b"));
  }

  private void install(String release, String namespace, String... sets) {
    Operators.install(cluster, release, namespace, sets);
    releases.add(new String[] {release, namespace});
  }

  /** A one-model SeldonDeployment with no replicas: enough to see which controller renders it, without processes. */
  private void apply(String namespace, String name, String controllerId) {
    String labels = controllerId == null ? "{}" : "{seldon.io/controller-id: " + controllerId + "}";
    cluster.kubectlWithInput("""
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: %s, labels: %s}
        spec:
          predictors:
          - name: default
            replicas: 0
            graph: {name: classifier, type: MODEL}
            componentSpecs:
            - spec:
                containers: [{name: classifier, image: seldonj/mock-classifier:0.1.0}]
        """.formatted(name, labels), "apply", "-n", namespace, "-f", "-").orThrow();
  }

  private Deployment deployment(String namespace, String sdep) {
    return client.apps().deployments().inNamespace(namespace).withLabel("seldon-deployment-id", sdep).list().getItems()
        .stream().findFirst().orElse(null);
  }

  private void assertNeverReconciled(String namespace, String sdep) {
    // The watched ones are done, so a controller that saw this one would have rendered it by now.
    try {
      Thread.sleep(3000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    assertThat(deployment(namespace, sdep)).as("a Deployment for %s/%s", namespace, sdep).isNull();
    assertThat(client.services().inNamespace(namespace).list().getItems()).isEmpty();
  }

  private static List<String> managers(Deployment deployment) {
    return deployment.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager).toList();
  }
}
