package dev.seldonj.e2e.cluster;

import static dev.seldonj.e2e.cluster.Operators.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's scoping modes, each run as the chart's pod under the RBAC the chart gives that
 * mode (so a permission the chart forgets fails here): one namespace, a list of namespaces, and two
 * controllers told apart by {@code controllerId} (all namespaces is the default every other test
 * installs); and the events {@code kubectl describe} shows for a SeldonDeployment that failed.
 */
class ControllerModesIT {

    private static final Duration RECONCILED = Duration.ofMinutes(2);
    private final TestCluster cluster = TestCluster.get();
    private final KubernetesClient client = cluster.admin();
    private final List<String[]> releases = new ArrayList<>();

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
        assertThat(cluster.kubectl("get", "clusterrole", "-o", "name").orThrow())
                .doesNotContain("solo-seldon-core-operator");
        apply(home, "watched", null);
        apply(other, "ignored", null);
        eventually("the SeldonDeployment in " + home + " is reconciled", RECONCILED)
                .until(() -> deployment(home, "watched") != null);
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
        // The team's controller is installed stopped (and without its webhook, which would refuse what it
        // cannot admit yet): the labelled SeldonDeployment must then wait for it, whatever main does.
        install("team", second, "controllerId=team-b", "crd.create=false", "replicaCount=0", "webhook.enabled=false");
        apply(models, "unlabelled", null);
        apply(models, "labelled", "team-b");
        eventually("main reconciles the unlabelled SeldonDeployment", RECONCILED)
                .until(() -> deployment(models, "unlabelled") != null);
        assertNeverReconciled(models, "labelled");
        Operators.upgrade(cluster, "team", second, "controllerId=team-b", "crd.create=false", "replicaCount=1");
        eventually("the team's controller reconciles the labelled one", RECONCILED)
                .until(() -> deployment(models, "labelled") != null);
    }

    @Test
    void aFailedSeldonDeploymentShowsItsEventsInKubectlDescribe() {
        String operator = cluster.createNamespace("events-system");
        String models = cluster.createNamespace("events-models");
        // Without the webhook the API server stores the invalid object; the reconcile loop's validator
        // (the same as the webhook's) then fails it and says why.
        install("events", operator, "webhook.enabled=false");
        cluster.kubectlWithInput(Sdeps.invalid("broken"), "apply", "-n", models, "-f", "-")
                .orThrow();
        eventually("the SeldonDeployment is Failed", RECONCILED)
                .until(() -> "Failed"
                        .equals(cluster.kubectl("get", "sdep", "broken", "-n", models, "-o", "jsonpath={.status.state}")
                                .orThrow()));
        String described =
                cluster.kubectl("describe", "sdep", "broken", "-n", models).orThrow();
        assertThat(described).contains("Events:").contains("Warning").contains("spec.predictors[0]");
        assertThat(client.apps().deployments().inNamespace(models).list().getItems())
                .isEmpty();
    }

    private void install(String release, String namespace, String... sets) {
        Operators.install(cluster, release, namespace, sets);
        releases.add(new String[] {release, namespace});
    }

    private void apply(String namespace, String name, String controllerId) {
        String labels = controllerId == null ? "" : "seldon.io/controller-id: " + controllerId;
        cluster.kubectlWithInput(Sdeps.withoutReplicas(name, labels), "apply", "-n", namespace, "-f", "-")
                .orThrow();
    }

    private Deployment deployment(String namespace, String sdep) {
        return client
                .apps()
                .deployments()
                .inNamespace(namespace)
                .withLabel("seldon-deployment-id", sdep)
                .list()
                .getItems()
                .stream()
                .findFirst()
                .orElse(null);
    }

    private void assertNeverReconciled(String namespace, String sdep) {
        // The watched ones are done, so a controller that saw this one would have rendered it by now.
        try {
            Thread.sleep(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(deployment(namespace, sdep))
                .as("a Deployment for %s/%s", namespace, sdep)
                .isNull();
        assertThat(client.services()
                        .inNamespace(namespace)
                        .withLabel("seldon-deployment-id", sdep)
                        .list()
                        .getItems())
                .isEmpty();
    }
}
