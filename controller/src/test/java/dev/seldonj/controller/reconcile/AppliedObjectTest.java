package dev.seldonj.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The apply body and the "already up to date" test that spares unchanged objects a write. */
class AppliedObjectTest {

    private static Service service(Map<String, String> labels) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName("svc")
                .withNamespace("ns")
                .withLabels(labels)
                .withUid("u-1")
                .withResourceVersion("42")
                .withCreationTimestamp("2026-01-01T00:00:00Z")
                .withGeneration(3L)
                .withManagedFields(
                        new ManagedFieldsEntryBuilder().withManager("someone").build())
                .addNewOwnerReference()
                .withApiVersion("machinelearning.seldon.io/v1")
                .withKind("SeldonDeployment")
                .withName("m")
                .withUid("owner-uid")
                .withController(true)
                .withBlockOwnerDeletion(true)
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("http")
                .withPort(8000)
                .endPort()
                .endSpec()
                .withNewStatus()
                .endStatus()
                .build();
    }

    /** What an API server would hold after applying {@code body}: the body plus defaults and server fields. */
    private static Service liveAfterApplying(Service body) {
        Service live = Serialization.clone(body);
        live.getMetadata().setUid("u-1");
        live.getMetadata().setResourceVersion("43");
        live.getMetadata()
                .setManagedFields(List.of(new ManagedFieldsEntryBuilder()
                        .withManager(Applier.FIELD_MANAGER)
                        .withOperation("Apply")
                        .build()));
        live.getSpec().setClusterIP("10.0.0.7");
        live.getSpec().setType("ClusterIP");
        live.getSpec().getPorts().get(0).setProtocol("TCP");
        live.getMetadata().getLabels().put("added-by", "another-tool");
        return live;
    }

    @Test
    void theBodyCarriesKindAndTheControllersFieldsButNothingTheServerOwns() {
        Service body = AppliedObject.body(service(Map.of("app", "m")));
        assertThat(body.getApiVersion()).isEqualTo("v1");
        assertThat(body.getKind()).isEqualTo("Service");
        assertThat(body.getMetadata().getName()).isEqualTo("svc");
        assertThat(body.getMetadata().getOwnerReferences())
                .singleElement()
                .extracting("uid")
                .isEqualTo("owner-uid");
        assertThat(body.getMetadata().getUid()).isNull();
        assertThat(body.getMetadata().getResourceVersion()).isNull();
        assertThat(body.getMetadata().getCreationTimestamp()).isNull();
        assertThat(body.getMetadata().getGeneration()).isNull();
        assertThat(body.getMetadata().getManagedFields()).isNullOrEmpty();
        assertThat(body.getStatus()).isNull();
        assertThat(body.getMetadata().getAnnotations()).containsOnlyKeys(AppliedObject.HASH_ANNOTATION);
    }

    @Test
    void genericObjectsKeepTheirApiVersionAndKind() {
        GenericKubernetesResource mapping = new GenericKubernetesResource();
        mapping.setApiVersion("getambassador.io/v3alpha1");
        mapping.setKind("Mapping");
        mapping.setMetadata(
                new ObjectMetaBuilder().withName("r").withNamespace("ns").build());
        mapping.setAdditionalProperty("spec", Map.of("prefix", "/seldon/ns/m/"));
        GenericKubernetesResource body = AppliedObject.body(mapping);
        assertThat(body.getApiVersion()).isEqualTo("getambassador.io/v3alpha1");
        assertThat(body.getKind()).isEqualTo("Mapping");
        assertThat(body.getAdditionalProperties()).containsKey("spec");

        GenericKubernetesResource kindless = new GenericKubernetesResource();
        kindless.setMetadata(new ObjectMetaBuilder().withName("x").build());
        assertThatThrownBy(() -> AppliedObject.body(kindless)).hasMessageContaining("apiVersion and kind");
    }

    @Test
    void anAppliedObjectIsUpToDateDespiteDefaultsServerFieldsAndOthersFields() {
        Service body = AppliedObject.body(service(Map.of("app", "m", "team", "blue")));
        assertThat(AppliedObject.upToDate(liveAfterApplying(body), body)).isTrue();
    }

    @Test
    void aHandEditOfAnOwnedFieldIsNotUpToDate() {
        Service body = AppliedObject.body(service(Map.of("app", "m")));
        Service live = liveAfterApplying(body);
        live.getSpec().getPorts().get(0).setPort(9999);
        assertThat(AppliedObject.upToDate(live, body)).isFalse();
    }

    @Test
    void aFieldNoLongerAppliedMakesTheLiveObjectOutOfDate() {
        Service before = AppliedObject.body(service(Map.of("app", "m", "team", "blue")));
        Service live = liveAfterApplying(before);
        Service after = AppliedObject.body(service(Map.of("app", "m")));
        // Every field of the new body is in the live object: a subset test alone would skip the apply
        // that removes the label.
        Service afterWithoutHash = Serialization.clone(after);
        afterWithoutHash.getMetadata().getAnnotations().remove(AppliedObject.HASH_ANNOTATION);
        assertThat(Subset.contains(
                        Serialization.jsonMapper().valueToTree(live),
                        Serialization.jsonMapper().valueToTree(afterWithoutHash)))
                .isTrue();
        assertThat(AppliedObject.upToDate(live, after)).isFalse();
    }

    @Test
    void theHashIgnoresMapOrderAndItsOwnPreviousValue() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        String hash = hash(AppliedObject.body(service(ab)));
        assertThat(hash(AppliedObject.body(service(ba)))).isEqualTo(hash);
        // Re-applying a body (or a live object carrying an old hash) gives the same hash.
        assertThat(hash(AppliedObject.body(AppliedObject.body(service(ab))))).isEqualTo(hash);
        assertThat(hash(AppliedObject.body(service(Map.of("a", "1", "b", "3")))))
                .isNotEqualTo(hash);
    }

    @Test
    void immutableChangesNeedAReplacement() {
        Deployment live = new DeploymentBuilder()
                .withNewMetadata()
                .withName("d")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("seldon-app-svc-a", "x"))
                .endSelector()
                .endSpec()
                .build();
        Deployment same = new DeploymentBuilder(live).build();
        Deployment wider = new DeploymentBuilder(live)
                .editSpec()
                .editSelector()
                .addToMatchLabels("seldon-app-svc-b", "y")
                .endSelector()
                .endSpec()
                .build();
        assertThat(Applier.mustReplace(live, same)).isFalse();
        assertThat(Applier.mustReplace(live, wider)).isTrue();

        Service allocated = service(Map.of());
        allocated.getSpec().setClusterIP("10.0.0.7");
        Service headless = service(Map.of());
        headless.getSpec().setClusterIP("None");
        assertThat(Applier.mustReplace(allocated, service(Map.of()))).isFalse();
        assertThat(Applier.mustReplace(allocated, headless)).isTrue();
        assertThat(Applier.mustReplace(headless, service(Map.of()))).isTrue();
    }

    private static String hash(HasMetadata body) {
        return body.getMetadata().getAnnotations().get(AppliedObject.HASH_ANNOTATION);
    }
}
