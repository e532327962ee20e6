package dev.seldonj.e2e.cluster;

import static dev.seldonj.e2e.cluster.Operators.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.api.manifest.Manifests;
import dev.seldonj.api.model.SeldonDeployment;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        eventually("the Deployment carries the predictor's labels", RECONCILED)
                .until(() -> "a".equals(label(deployment("labels"), "team"))
                        && "gold".equals(label(deployment("labels"), "tier")));
        apply("labels", "{team: a}");
        eventually("the removed label is gone", RECONCILED).until(() -> label(deployment("labels"), "tier") == null);
        assertThat(label(deployment("labels"), "team")).isEqualTo("a");
    }

    @Test
    void aHandEditIsUndoneOnlyInTheFieldsTheControllerOwns() {
        apply("edited", "{team: a}");
        eventually("the Deployment exists", RECONCILED).until(() -> deployment("edited") != null);
        String name = deployment("edited").getMetadata().getName();
        cluster.kubectl("label", "deployment", name, "-n", namespace, "--overwrite", "team=b", "added-by-hand=yes")
                .orThrow();
        cluster.kubectl("annotate", "deployment", name, "-n", namespace, "note=kept")
                .orThrow();
        eventually("the controller's label is restored", RECONCILED)
                .until(() -> "a".equals(label(deployment("edited"), "team")));
        Deployment after = deployment("edited");
        assertThat(label(after, "added-by-hand")).isEqualTo("yes");
        assertThat(after.getMetadata().getAnnotations()).containsEntry("note", "kept");
        assertThat(after.getMetadata().getManagedFields()).anySatisfy(f -> {
            assertThat(f.getManager()).startsWith("seldonj");
            assertThat(f.getOperation()).isEqualTo("Apply");
        });
    }

    @Test
    void theServicesClusterIpSurvivesReappliesAndHeadlessReplacesTheService() {
        // seldon.io/headless-svc is read from the predictor's annotations, as Seldon's operator does.
        String sdep = Sdeps.model("svc", "", "replicas: 0, annotations: {%s}", "", Sdeps.MOCK_CLASSIFIER);
        applyYaml(sdep.formatted("team: a"));
        eventually("the predictor Service exists", RECONCILED).until(() -> service("svc-default") != null);
        Service before = service("svc-default");
        applyYaml(sdep.formatted("team: b"));
        eventually("the change is applied", RECONCILED).until(() -> reconciledLatest("svc"));
        assertThat(service("svc-default").getSpec().getClusterIP())
                .isEqualTo(before.getSpec().getClusterIP());
        assertThat(service("svc-default").getMetadata().getUid())
                .isEqualTo(before.getMetadata().getUid());

        // clusterIP is immutable: turning the Service headless replaces it rather than failing with 422.
        applyYaml(sdep.formatted("seldon.io/headless-svc: 'true'"));
        eventually("the Service is replaced by a headless one", RECONCILED)
                .until(() -> "None".equals(service("svc-default").getSpec().getClusterIP()));
        assertThat(service("svc-default").getMetadata().getUid())
                .isNotEqualTo(before.getMetadata().getUid());
    }

    @Test
    void replicasAnHpaOrAUserScaledAreNotFought() {
        // An image no node maps: the pods wait, nothing runs; only the Deployment's replicas matter here.
        applyYaml("""
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: scaled}
        spec:
          annotations: {round: "1"}
          predictors:
          - name: default
            graph: {name: classifier, type: MODEL}
            componentSpecs:
            - hpaSpec:
                minReplicas: 1
                maxReplicas: 4
                metrics: [{type: Resource, resource: {name: cpu, targetAverageUtilization: 70}}]
              spec:
                containers: [{name: classifier, image: example.invalid/not-mapped:1}]
        """);
        eventually("the Deployment and its HPA exist", RECONCILED)
                .until(() -> deployment("scaled") != null
                        && !client.autoscaling()
                                .v2()
                                .horizontalPodAutoscalers()
                                .inNamespace(namespace)
                                .list()
                                .getItems()
                                .isEmpty());
        String name = deployment("scaled").getMetadata().getName();
        cluster.kubectl("scale", "deployment", name, "-n", namespace, "--replicas=3")
                .orThrow();
        cluster.kubectl(
                        "patch",
                        "sdep",
                        "scaled",
                        "-n",
                        namespace,
                        "--type=merge",
                        "-p",
                        "{\"spec\":{\"annotations\":{\"round\":\"2\"}}}")
                .orThrow();
        eventually("the spec change is applied", RECONCILED).until(() -> reconciledLatest("scaled"));
        assertThat(deployment("scaled").getSpec().getReplicas()).isEqualTo(3);
    }

    @Test
    void aSeldonDeploymentRecreatedOverItsOrphanedChildrenAdoptsThem() {
        apply("adopted", "{team: a}");
        eventually("the Deployment exists", RECONCILED).until(() -> deployment("adopted") != null);
        String childUid = deployment("adopted").getMetadata().getUid();
        cluster.kubectl("delete", "sdep", "adopted", "-n", namespace, "--cascade=orphan", "--wait=true")
                .orThrow();
        eventually("the garbage collector orphaned the Deployment", RECONCILED)
                .until(() ->
                        deployment("adopted").getMetadata().getOwnerReferences().isEmpty());
        apply("adopted", "{team: a}");
        String ownerUid = client.resources(SeldonDeployment.class)
                .inNamespace(namespace)
                .withName("adopted")
                .get()
                .getMetadata()
                .getUid();
        eventually("the new SeldonDeployment owns the same Deployment", RECONCILED)
                .until(() ->
                        deployment("adopted").getMetadata().getOwnerReferences().size() == 1
                                && deployment("adopted")
                                        .getMetadata()
                                        .getOwnerReferences()
                                        .get(0)
                                        .getUid()
                                        .equals(ownerUid));
        assertThat(deployment("adopted").getMetadata().getUid()).isEqualTo(childUid);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "api/src/test/resources/seeds/000-sklearn-service-account.yaml",
                "api/src/test/resources/seeds/002-sklearn.yaml",
                "api/src/test/resources/seeds/004-seldon-model.yaml",
                "examples/seldon-model.yaml"
            })
    void everySeedsChildrenAreAcceptedUnderServerSideApply(String seed) throws Exception {
        String seeds = cluster.createNamespace("ssa-seeds");
        String text = Files.readString(TestCluster.REPOSITORY.resolve(seed));
        // Seed 000 runs its model server under a ServiceAccount the user created beforehand.
        cluster.kubectl("create", "serviceaccount", "user-gcp-sa", "-n", seeds).orThrow();
        cluster.kubectlWithInput(text, "apply", "-n", seeds, "-f", "-").orThrow();
        String name = Manifests.documents(text, seed).stream()
                .filter(d -> d != null && d.has("kind"))
                .findFirst()
                .orElseThrow()
                .path("metadata")
                .path("name")
                .asText();
        eventually(seed + " (" + name + "): its Deployments and Services exist", RECONCILED)
                .until(() -> !cluster.kubectl(
                                "get",
                                "deployments,services",
                                "-n",
                                seeds,
                                "-l",
                                "seldon-deployment-id=" + name,
                                "-o",
                                "name")
                        .orThrow()
                        .isBlank());
        assertThat(cluster.kubectl("get", "sdep", name, "-n", seeds, "-o", "jsonpath={.status.state}")
                        .orThrow())
                .isNotEqualTo("Failed");
        String events = cluster.kubectl(
                        "get",
                        "events",
                        "-n",
                        seeds,
                        "--field-selector",
                        "type=Warning",
                        "-o",
                        "jsonpath={.items[*].message}")
                .orThrow();
        assertThat(events)
                .as("warnings in " + seeds)
                .doesNotContain("duplicate")
                .doesNotContain("Invalid value")
                .doesNotContain("failed");
        cluster.kubectl("delete", "namespace", seeds, "--wait=false").orThrow();
    }

    private void applyYaml(String yaml) {
        cluster.kubectlWithInput(yaml, "apply", "-n", namespace, "-f", "-").orThrow();
    }

    /** Whether the controller has reconciled the SeldonDeployment's latest spec (status.observedGeneration). */
    private boolean reconciledLatest(String sdep) {
        String generation = cluster.kubectl(
                        "get", "sdep", sdep, "-n", namespace, "-o", "jsonpath={.metadata.generation}")
                .orThrow();
        String observed = cluster.kubectl(
                        "get", "sdep", sdep, "-n", namespace, "-o", "jsonpath={.status.observedGeneration}")
                .orThrow();
        return generation.equals(observed);
    }

    private static Service service(String name) {
        return client.services().inNamespace(namespace).withName(name).get();
    }

    private void apply(String name, String predictorLabels) {
        applyYaml(Sdeps.model(name, "", "replicas: 0, labels: " + predictorLabels, "", Sdeps.MOCK_CLASSIFIER));
    }

    private static Deployment deployment(String sdep) {
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

    private static String label(Deployment deployment, String key) {
        return deployment == null || deployment.getMetadata().getLabels() == null
                ? null
                : deployment.getMetadata().getLabels().get(key);
    }
}
