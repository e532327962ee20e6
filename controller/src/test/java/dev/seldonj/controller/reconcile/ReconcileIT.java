package dev.seldonj.controller.reconcile;

import static dev.seldonj.controller.reconcile.MockCluster.get;
import static dev.seldonj.controller.reconcile.MockCluster.sdep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seldonj.api.model.PredictiveUnit;
import dev.seldonj.api.model.PredictiveUnitType;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.controller.app.OperatorRunner;
import dev.seldonj.controller.testing.ApplyingCrudDispatcher;
import dev.seldonj.controller.testing.EnableMockApiServer;
import dev.seldonj.desired.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The reconcile loop against fabric8's CRUD mock API server with the generated CRD registered. The
 * mock stores an apply as a merge ({@link ApplyingCrudDispatcher}); what server-side apply itself
 * does to the children (field removal, ownership) is checked against a real API server, see
 * docs/cluster.md (the real-cluster tier), while the tests here check what the controller sends.
 */
@EnableMockApiServer
class ReconcileIT {

    static KubernetesClient client;
    static ApplyingCrudDispatcher store;
    static OperatorRunner operator;

    static final String MODEL = """
      apiVersion: machinelearning.seldon.io/v1
      kind: SeldonDeployment
      metadata:
        name: mymodel
      spec:
        predictors:
        - name: main
          replicas: 1
          traffic: 75
          componentSpecs:
          - spec:
              containers:
              - name: classifier
                image: seldonio/mock_classifier:1.0
          graph:
            name: classifier
            type: MODEL
        - name: canary
          replicas: 1
          traffic: 25
          componentSpecs:
          - spec:
              containers:
              - name: classifier
                image: seldonio/mock_classifier:2.0
          graph:
            name: classifier
            type: MODEL
      """;

    @BeforeAll
    static void start() {
        MockCluster.installCrd(client);
        MockCluster.installForeignCrd(client, "getambassador.io", "v3alpha1", "Mapping", "mappings");
        OperatorConfig config = OperatorConfig.defaults();
        config = new OperatorConfig(
                config.controllerId(),
                config.watchNamespaces(),
                new OperatorConfig.LeaderElection(false, "unused", ""),
                config.ambassador(),
                config.istio(),
                config.keda(),
                config.defaultUserId(),
                config.deploymentNameAsPrefix(),
                config.engine(),
                config.predictiveUnit(),
                config.storageInitializer(),
                config.explainer(),
                config.webhook(),
                config.predictorServers());
        operator = MockCluster.operator(client, config);
    }

    @AfterAll
    static void stop() {
        operator.stop();
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50));
    }

    private static SeldonDeployment create(String yaml, String ns) {
        return client.resource(sdep(yaml, ns)).create();
    }

    private static SeldonDeployment current(String ns) {
        return get(client, SeldonDeployment.class, ns, "mymodel");
    }

    /** Edits the SeldonDeployment, retrying when a status write of the controller got in between. */
    private static void editSdep(String ns, UnaryOperator<SeldonDeployment> change) {
        eventually().ignoreExceptions().until(() -> {
            client.resources(SeldonDeployment.class)
                    .inNamespace(ns)
                    .withName("mymodel")
                    .edit(change);
            return true;
        });
    }

    private static GenericKubernetesResource mapping(String ns, String name) {
        return client.genericKubernetesResources(MockCluster.MAPPINGS)
                .inNamespace(ns)
                .withName(name)
                .get();
    }

    @Test
    void createsEveryObjectOwnedByTheSeldonDeploymentAndReportsAvailableOnceReplicasAreUp() {
        String ns = "create";
        SeldonDeployment sdep = create(MODEL, ns);
        eventually()
                .until(() -> get(client, Deployment.class, ns, "mymodel-canary-0-classifier") != null
                        && mapping(ns, "seldon-create-mymodel-canary-grpc") != null);
        Deployment main = get(client, Deployment.class, ns, "mymodel-main-0-classifier");
        assertThat(main.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
            assertThat(ref.getUid()).isEqualTo(sdep.getMetadata().getUid());
            assertThat(ref.getController()).isTrue();
            assertThat(ref.getBlockOwnerDeletion()).isTrue();
        });
        assertThat(main.getSpec().getTemplate().getSpec().getContainers())
                .extracting("name")
                .containsExactly("classifier", "seldon-container-engine");
        assertThat(get(client, Service.class, ns, "mymodel-main")).isNotNull();
        assertThat(get(client, Service.class, ns, "mymodel-main-classifier")).isNotNull();
        assertThat(get(client, Service.class, ns, "mymodel-canary")).isNotNull();
        eventually()
                .until(() -> current(ns).getStatus() != null
                        && "Creating".equals(current(ns).getStatus().getState()));

        for (String name : new String[] {"mymodel-main-0-classifier", "mymodel-canary-0-classifier"}) {
            client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
                d.setStatus(new DeploymentStatusBuilder()
                        .withReplicas(1)
                        .withAvailableReplicas(1)
                        .withReadyReplicas(1)
                        .build());
                return d;
            });
        }
        eventually().until(() -> "Available".equals(current(ns).getStatus().getState()));
        var status = current(ns).getStatus();
        assertThat(status.getAddress().getUrl())
                .isEqualTo("http://mymodel-main.create.svc.cluster.local:8000/api/v1.0/predictions");
        assertThat(status.getDeploymentStatus())
                .containsKeys("mymodel-main-0-classifier", "mymodel-canary-0-classifier");
        assertThat(status.getDeploymentStatus().get("mymodel-main-0-classifier").getAvailableReplicas())
                .isEqualTo(1);
        assertThat(status.getServiceStatus().get("mymodel-main").getHttpEndpoint())
                .isEqualTo("mymodel-main.create:8000");
        assertThat(status.getObservedGeneration())
                .isEqualTo(current(ns).getMetadata().getGeneration());
        assertThat(status.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    @Test
    void appliesImageReplicaAndCanaryTrafficChanges() {
        String ns = "update";
        create(MODEL, ns);
        eventually().until(() -> mapping(ns, "seldon-update-mymodel-canary-rest") != null);
        assertThat(spec(mapping(ns, "seldon-update-mymodel-canary-rest")).get("weight"))
                .isEqualTo(25);
        assertThat(spec(mapping(ns, "seldon-update-mymodel-main-rest"))).doesNotContainKey("weight");

        editSdep(ns, s -> {
            s.getSpec().getPredictors().get(0).setTraffic(50);
            s.getSpec().getPredictors().get(1).setTraffic(50);
            s.getSpec().getPredictors().get(1).setReplicas(3);
            s.getSpec()
                    .getPredictors()
                    .get(1)
                    .getComponentSpecs()
                    .get(0)
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .setImage("seldonio/mock_classifier:3.0");
            return s;
        });
        eventually()
                .until(() -> Integer.valueOf(50)
                        .equals(spec(mapping(ns, "seldon-update-mymodel-canary-rest"))
                                .get("weight")));
        eventually().until(() -> {
            Deployment canary = get(client, Deployment.class, ns, "mymodel-canary-0-classifier");
            return canary.getSpec().getReplicas() == 3
                    && "seldonio/mock_classifier:3.0"
                            .equals(canary.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getImage());
        });
    }

    @Test
    void deletesTheObjectsOfARemovedPredictor() {
        String ns = "removal";
        create(MODEL, ns);
        eventually()
                .until(() -> get(client, Service.class, ns, "mymodel-canary-classifier") != null
                        && mapping(ns, "seldon-removal-mymodel-canary-grpc") != null);
        editSdep(ns, s -> {
            s.getSpec().getPredictors().remove(1);
            s.getSpec().getPredictors().get(0).setTraffic(100);
            return s;
        });
        eventually()
                .until(() -> get(client, Deployment.class, ns, "mymodel-canary-0-classifier") == null
                        && get(client, Service.class, ns, "mymodel-canary") == null
                        && get(client, Service.class, ns, "mymodel-canary-classifier") == null
                        && mapping(ns, "seldon-removal-mymodel-canary-rest") == null
                        && mapping(ns, "seldon-removal-mymodel-canary-grpc") == null);
        assertThat(get(client, Deployment.class, ns, "mymodel-main-0-classifier"))
                .isNotNull();
    }

    @Test
    void restoresAChildDeletedOrEditedByHand() {
        String ns = "restore";
        create(MODEL, ns);
        eventually()
                .until(() -> get(client, Service.class, ns, "mymodel-main") != null
                        && get(client, Deployment.class, ns, "mymodel-main-0-classifier") != null);
        String uid =
                get(client, Service.class, ns, "mymodel-main").getMetadata().getUid();
        client.services().inNamespace(ns).withName("mymodel-main").delete();
        eventually().until(() -> {
            Service svc = get(client, Service.class, ns, "mymodel-main");
            return svc != null && !svc.getMetadata().getUid().equals(uid);
        });

        client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("mymodel-main-0-classifier")
                .edit(d -> {
                    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("evil/image:1");
                    d.getSpec().setReplicas(7);
                    return d;
                });
        eventually().until(() -> {
            Deployment d = get(client, Deployment.class, ns, "mymodel-main-0-classifier");
            return d.getSpec().getReplicas() == 1
                    && "seldonio/mock_classifier:1.0"
                            .equals(d.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getImage());
        });
    }

    @Test
    void deletedAndRecreatedBeforeGarbageCollectionAdoptsTheChildren() {
        String ns = "recreate";
        SeldonDeployment first = create(MODEL, ns);
        eventually().until(() -> get(client, Deployment.class, ns, "mymodel-main-0-classifier") != null);
        // The mock API server has no garbage collector: the children outlive their owner, as they
        // briefly do on a real cluster.
        client.resources(SeldonDeployment.class)
                .inNamespace(ns)
                .withName("mymodel")
                .delete();
        eventually().until(() -> current(ns) == null);
        SeldonDeployment second = create(MODEL.replace("mock_classifier:1.0", "mock_classifier:1.1"), ns);
        assertThat(second.getMetadata().getUid())
                .isNotEqualTo(first.getMetadata().getUid());
        eventually().until(() -> {
            Deployment d = get(client, Deployment.class, ns, "mymodel-main-0-classifier");
            return d.getMetadata().getOwnerReferences().size() == 1
                    && d.getMetadata()
                            .getOwnerReferences()
                            .get(0)
                            .getUid()
                            .equals(second.getMetadata().getUid())
                    && "seldonio/mock_classifier:1.1"
                            .equals(d.getSpec()
                                    .getTemplate()
                                    .getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getImage());
        });
    }

    @Test
    void aSelectorChangeReplacesTheDeployment() {
        String ns = "selector";
        SeldonDeployment named = sdep(MODEL, ns);
        named.getSpec()
                .getPredictors()
                .get(0)
                .getComponentSpecs()
                .get(0)
                .setMetadata(new ObjectMetaBuilder().withName("pod").build());
        client.resource(named).create();
        eventually().until(() -> get(client, Deployment.class, ns, "mymodel-main-0-pod") != null);
        String uid = get(client, Deployment.class, ns, "mymodel-main-0-pod")
                .getMetadata()
                .getUid();
        editSdep(ns, s -> {
            var p = s.getSpec().getPredictors().get(0);
            var transformer = new ContainerBuilder()
                    .withName("transformer")
                    .withImage("seldonio/transformer:1.0")
                    .build();
            var containers =
                    new ArrayList<>(p.getComponentSpecs().get(0).getSpec().getContainers());
            containers.add(transformer);
            p.getComponentSpecs().get(0).getSpec().setContainers(containers);
            var root = new PredictiveUnit();
            root.setName("transformer");
            root.setType(PredictiveUnitType.TRANSFORMER);
            root.setChildren(List.of(p.getGraph()));
            p.setGraph(root);
            return s;
        });
        eventually().until(() -> {
            Deployment d = get(client, Deployment.class, ns, "mymodel-main-0-pod");
            return d != null
                    && !d.getMetadata().getUid().equals(uid)
                    && d.getSpec().getSelector().getMatchLabels().containsKey("seldon-app-svc-transformer");
        });
    }

    @Test
    void anInvalidResourceFailsWithEveryProblemAndItsPathAndNothingIsCreated() {
        String ns = "invalid";
        // Written past the webhook (which would reject it): the reconcile loop validates again.
        SeldonDeployment bad = sdep(MODEL, ns);
        bad.getSpec().getPredictors().get(0).getGraph().setName("no-such-container");
        bad.getSpec().getPredictors().get(1).setTraffic(10);
        client.resource(bad).create();
        eventually()
                .until(() -> current(ns).getStatus() != null
                        && "Failed".equals(current(ns).getStatus().getState()));
        String description = current(ns).getStatus().getDescription();
        assertThat(description).contains("spec.predictors[0].graph").contains("spec.predictors");
        assertThat(description).contains("traffic");
        assertThat(client.apps().deployments().inNamespace(ns).list().getItems())
                .isEmpty();
        assertThat(client.services().inNamespace(ns).list().getItems()).isEmpty();
        eventually()
                .until(() -> client.v1().events().inNamespace(ns).list().getItems().stream()
                        .anyMatch(e -> "InvalidSpec".equals(e.getReason())));
        // A restarted controller (a new recorder, nothing in memory) does not record the same event again.
        new EventRecorder(client, Clock.systemUTC())
                .warning(current(ns), EventRecorder.Reason.InvalidSpec, description);
        assertThat(client.v1().events().inNamespace(ns).list().getItems())
                .filteredOn(e -> "InvalidSpec".equals(e.getReason()))
                .hasSize(1);
    }

    @Test
    void writesEveryChildByServerSideApplyAsItsFieldManagerAndNothingWhileUnchanged() throws Exception {
        String ns = "ssa";
        SeldonDeployment sdep = create(MODEL, ns);
        eventually()
                .until(() -> mapping(ns, "seldon-ssa-mymodel-canary-grpc") != null
                        && current(ns).getStatus() != null
                        && "Creating".equals(current(ns).getStatus().getState()));
        List<ApplyingCrudDispatcher.Apply> applies = applies(ns, "/");
        // 2 Deployments, 4 Services, 4 Mappings.
        assertThat(applies)
                .extracting(a -> a.path().replaceAll("\\?.*", ""))
                .hasSize(10)
                .doesNotHaveDuplicates();
        for (ApplyingCrudDispatcher.Apply apply : applies) {
            assertThat(apply.path()).contains("fieldManager=seldonj-controller").contains("force=true");
            JsonNode body = Serialization.jsonMapper().readTree(apply.body());
            assertThat(body.path("apiVersion").asText()).isNotEmpty();
            assertThat(body.path("kind").asText()).isNotEmpty();
            assertThat(body.has("status")).as("status in %s", apply.path()).isFalse();
            JsonNode metadata = body.path("metadata");
            assertThat(metadata.path("name").asText()).isNotEmpty();
            assertThat(metadata.path("namespace").asText()).isEqualTo(ns);
            for (String serverField :
                    List.of("uid", "resourceVersion", "managedFields", "creationTimestamp", "generation")) {
                assertThat(metadata.has(serverField))
                        .as("%s in %s", serverField, apply.path())
                        .isFalse();
            }
            assertThat(metadata.path("annotations")
                            .path(AppliedObject.HASH_ANNOTATION)
                            .asText())
                    .hasSize(32);
            assertThat(metadata.path("ownerReferences").get(0).path("uid").asText())
                    .isEqualTo(sdep.getMetadata().getUid());
        }

        // Pods come up: the status changes, the children do not, so nothing is applied again.
        for (String name : new String[] {"mymodel-main-0-classifier", "mymodel-canary-0-classifier"}) {
            client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> {
                d.setStatus(new DeploymentStatusBuilder()
                        .withReplicas(1)
                        .withAvailableReplicas(1)
                        .withReadyReplicas(1)
                        .build());
                return d;
            });
        }
        eventually().until(() -> "Available".equals(current(ns).getStatus().getState()));
        assertThat(applies(ns, "/")).hasSize(10);
    }

    @Test
    void anAnnotationRemovedFromTheSpecIsAppliedAgainWithoutIt() throws Exception {
        String ns = "removed";
        SeldonDeployment annotated = sdep(MODEL, ns);
        annotated.getSpec().setAnnotations(Map.of("team", "blue"));
        client.resource(annotated).create();
        String deployment = "/deployments/mymodel-main-0-classifier";
        eventually().until(() -> {
            Deployment d = get(client, Deployment.class, ns, "mymodel-main-0-classifier");
            return d != null && "blue".equals(d.getMetadata().getAnnotations().get("team"));
        });
        int before = applies(ns, deployment).size();
        JsonNode first = Serialization.jsonMapper()
                .readTree(applies(ns, deployment).get(before - 1).body());

        editSdep(ns, s -> {
            s.getSpec().setAnnotations(null);
            return s;
        });
        // Nothing but the annotation changed, and a live object holding every field of the new body
        // (the stale annotation is extra, not different) would not be written without the hash.
        eventually().until(() -> applies(ns, deployment).size() > before);
        List<ApplyingCrudDispatcher.Apply> after = applies(ns, deployment);
        JsonNode last =
                Serialization.jsonMapper().readTree(after.get(after.size() - 1).body());
        assertThat(last.path("metadata").path("annotations").has("team")).isFalse();
        assertThat(last.path("spec")
                        .path("template")
                        .path("metadata")
                        .path("annotations")
                        .has("team"))
                .isFalse();
        assertThat(last.path("metadata").path("annotations").path(AppliedObject.HASH_ANNOTATION))
                .isNotEqualTo(first.path("metadata").path("annotations").path(AppliedObject.HASH_ANNOTATION));
    }

    @Test
    void aServiceThatBecomesHeadlessIsReplaced() {
        String ns = "headless";
        create(MODEL, ns);
        eventually().until(() -> get(client, Service.class, ns, "mymodel-main") != null);
        String uid =
                get(client, Service.class, ns, "mymodel-main").getMetadata().getUid();
        editSdep(ns, s -> {
            s.getSpec().getPredictors().get(0).setAnnotations(Map.of("seldon.io/headless-svc", "true"));
            return s;
        });
        // clusterIP is immutable: the Service is deleted and applied anew.
        eventually().until(() -> {
            Service svc = get(client, Service.class, ns, "mymodel-main");
            return svc != null
                    && !svc.getMetadata().getUid().equals(uid)
                    && "None".equals(svc.getSpec().getClusterIP());
        });
    }

    /** The applies the mock received for objects in a namespace whose path contains {@code part}, in order. */
    private static List<ApplyingCrudDispatcher.Apply> applies(String ns, String part) {
        return store.applies().stream()
                .filter(a ->
                        a.path().contains("/namespaces/" + ns + "/") && a.path().contains(part))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}
