package dev.seldonj.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.seldonj.api.manifest.Manifests;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The operator chart with its default values, and the contract its objects keep with the controller. */
class OperatorChartTest {

    static final String RELEASE = "seldon-core-operator";

    static Manifest render(Map<String, ?> values) {
        return HelmRender.of(Repository.OPERATOR, RELEASE).set(values).render();
    }

    /** The controller's settings file of the chart's ConfigMap, as text. */
    static String controllerYaml(Manifest manifest) {
        return manifest.only("ConfigMap").path("data").path("controller.yaml").asText();
    }

    /** The controller's settings (controller.yaml), as a tree. */
    static JsonNode config(Manifest manifest) {
        return Manifests.documents(controllerYaml(manifest), "controller.yaml").get(0);
    }

    /** Micronaut's own settings of the controller (application.yml). */
    static JsonNode micronautConfig(Manifest manifest) {
        String text =
                manifest.only("ConfigMap").path("data").path("application.yml").asText();
        return Manifests.documents(text, "application.yml").get(0);
    }

    @Test
    void defaultsRenderWellFormedObjects() {
        Manifest manifest = render(Map.of());
        ChartChecks.wellFormed(manifest);
        assertThat(manifest.identities())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/seldon-system/seldon-core-operator",
                        "Secret/seldon-system/seldon-core-operator-webhook-cert",
                        "ConfigMap/seldon-system/seldon-core-operator-config",
                        "CustomResourceDefinition//seldondeployments.machinelearning.seldon.io",
                        "ClusterRole//seldon-system-seldon-core-operator-manager",
                        "ClusterRoleBinding//seldon-system-seldon-core-operator-manager",
                        "Role/seldon-system/seldon-core-operator-leader-election",
                        "RoleBinding/seldon-system/seldon-core-operator-leader-election",
                        "Service/seldon-system/seldon-core-operator-webhook",
                        "Deployment/seldon-system/seldon-core-operator",
                        "ValidatingWebhookConfiguration//seldon-system-seldon-core-operator");
    }

    @Test
    void controllerRunsRestrictedWithTheContractedEnvPortsAndMounts() {
        JsonNode pod = render(Map.of())
                .get("Deployment", RELEASE)
                .path("spec")
                .path("template")
                .path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("seldonj/controller:0.1.0");
        assertThat(texts(container.path("command"))).containsExactly("java", "-jar", "/app/controller.jar");
        assertThat(texts(container.path("args")))
                .containsExactly("operator", "--config", "/etc/seldonj/controller.yaml");
        assertThat(container.at("/ports/0/name").asText()).isEqualTo("https");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(4443);
        assertThat(container.at("/ports/1/name").asText()).isEqualTo("metrics");
        assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(8080);
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health");

        assertThat(env(container, "MICRONAUT_CONFIG_FILES").path("value").asText())
                .isEqualTo("/etc/seldonj/application.yml");
        assertThat(env(container, "POD_NAMESPACE")
                        .at("/valueFrom/fieldRef/fieldPath")
                        .asText())
                .isEqualTo("metadata.namespace");

        JsonNode security = container.path("securityContext");
        assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(security.path("readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).isFalse();
        assertThat(texts(security.at("/capabilities/drop"))).containsExactly("ALL");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");

        assertThat(mountPath(container, "config")).isEqualTo("/etc/seldonj");
        assertThat(mountPath(container, "webhook-cert")).isEqualTo("/tmp/k8s-webhook-server/serving-certs");
        assertThat(volume(pod, "config").at("/configMap/name").asText()).isEqualTo(RELEASE + "-config");
        assertThat(volume(pod, "webhook-cert").at("/secret/secretName").asText())
                .isEqualTo(RELEASE + "-webhook-cert");
    }

    @Test
    void configChecksumAnnotationIsTheConfigsHash() throws Exception {
        Manifest manifest = render(Map.of());
        JsonNode data = manifest.get("ConfigMap", RELEASE + "-config").path("data");
        String text = data.path("controller.yaml").asText().stripTrailing() + "\n---\n"
                + data.path("application.yml").asText().stripTrailing();
        String checksum = manifest.get("Deployment", RELEASE)
                .at("/spec/template/metadata/annotations/checksum~1config")
                .asText();
        byte[] digest =
                MessageDigest.getInstance("SHA-256").digest(text.stripTrailing().getBytes(StandardCharsets.UTF_8));
        assertThat(checksum).isEqualTo(HexFormat.of().formatHex(digest));
        String changed = render(Map.of("istio.enabled", true))
                .get("Deployment", RELEASE)
                .at("/spec/template/metadata/annotations/checksum~1config")
                .asText();
        assertThat(changed).isNotEqualTo(checksum);
        String micronautChanged = render(Map.of("manager.logLevel", "DEBUG"))
                .get("Deployment", RELEASE)
                .at("/spec/template/metadata/annotations/checksum~1config")
                .asText();
        assertThat(micronautChanged).isNotEqualTo(checksum);
    }

    @Test
    void configHoldsEveryContractedKeyWithItsDefault() throws Exception {
        JsonNode controller = config(render(Map.of()));
        JsonNode expected = new ObjectMapper(new YAMLFactory())
                .readTree(getClass().getResourceAsStream("/contract-controller.yaml"));
        assertThat(controller).isEqualTo(expected);
    }

    @Test
    void webhookFollowsTheContract() {
        Manifest manifest = render(Map.of());
        JsonNode webhook =
                manifest.only("ValidatingWebhookConfiguration").path("webhooks").get(0);
        assertThat(webhook.at("/clientConfig/service/name").asText()).isEqualTo(RELEASE + "-webhook");
        assertThat(webhook.at("/clientConfig/service/path").asText())
                .isEqualTo("/validate-machinelearning-seldon-io-v1-seldondeployment");
        assertThat(webhook.at("/clientConfig/service/port").asInt()).isEqualTo(443);
        assertThat(texts(webhook.path("admissionReviewVersions"))).containsExactly("v1");
        assertThat(webhook.path("failurePolicy").asText()).isEqualTo("Fail");
        assertThat(webhook.path("sideEffects").asText()).isEqualTo("None");
        assertThat(texts(webhook.at("/rules/0/apiVersions"))).containsExactly("v1", "v1alpha2", "v1alpha3");
        assertThat(texts(webhook.at("/rules/0/operations"))).containsExactly("CREATE", "UPDATE");
        assertThat(texts(webhook.at("/rules/0/resources"))).containsExactly("seldondeployments");
        assertThat(webhook.at("/objectSelector/matchExpressions/0/operator").asText())
                .isEqualTo("DoesNotExist");

        JsonNode service = manifest.get("Service", RELEASE + "-webhook");
        assertThat(service.at("/spec/ports/0/port").asInt()).isEqualTo(443);
        assertThat(service.at("/spec/ports/0/targetPort").asText()).isEqualTo("https");

        JsonNode secret = manifest.get("Secret", RELEASE + "-webhook-cert");
        assertThat(secret.path("type").asText()).isEqualTo("kubernetes.io/tls");
        assertThat(webhook.at("/clientConfig/caBundle").asText())
                .isEqualTo(secret.at("/data/ca.crt").asText());
        assertThat(secret.at("/data/tls.crt").asText()).isNotEmpty();
        assertThat(secret.at("/data/tls.key").asText()).isNotEmpty();
    }

    @Test
    void controllerRbacCoversTheContractAndNothingMore() {
        JsonNode rules = render(Map.of()).only("ClusterRole").path("rules");
        assertThat(verbs(rules, "machinelearning.seldon.io", "seldondeployments/status"))
                .containsExactlyInAnyOrder("get", "list", "watch", "update", "patch");
        assertThat(verbs(rules, "apps", "deployments")).contains("create", "delete");
        assertThat(verbs(rules, "", "secrets")).containsExactlyInAnyOrder("get", "list", "watch");
        assertThat(verbs(rules, "", "events")).containsExactlyInAnyOrder("create", "patch");
        assertThat(verbs(rules, "getambassador.io", "mappings")).contains("create", "delete");
        assertThat(verbs(rules, "networking.istio.io", "virtualservices")).isEmpty();
        assertThat(verbs(rules, "keda.sh", "scaledobjects")).isEmpty();
        assertThat(verbs(rules, "", "pods")).isEmpty();
        assertThat(StreamSupport.stream(rules.spliterator(), false).flatMap(r -> texts(r.path("verbs")).stream()))
                .doesNotContain("*");
    }

    @Test
    void aMisspelledValueIsRejectedNamingIt() {
        assertThatThrownBy(() -> render(Map.of("ambasador.enabled", true)))
                .isInstanceOf(HelmRender.HelmException.class)
                .hasMessageContaining("ambasador");
        assertThatThrownBy(() -> render(Map.of("executor.image.tagg", "1.0"))).hasMessageContaining("tagg");
        assertThatThrownBy(() -> render(Map.of("webhook.port", "not-a-port"))).hasMessageContaining("webhook.port");
    }

    @Test
    void twoReleasesInOneNamespaceShareNoName() {
        Manifest first = HelmRender.of(Repository.OPERATOR, "first")
                .set("crd.create", false)
                .render();
        Manifest second = HelmRender.of(Repository.OPERATOR, "second")
                .set("crd.create", false)
                .render();
        assertThat(first.identities()).doesNotContainAnyElementsOf(second.identities());
        assertThat(config(first).at("/leader-election/lease-name").asText())
                .isNotEqualTo(config(second).at("/leader-election/lease-name").asText());
    }

    @Test
    void fullnameOverrideAndNameOverrideNameEverything() {
        Manifest manifest = render(Map.of("fullnameOverride", "sc", "nameOverride", "seldon"));
        ChartChecks.wellFormed(manifest);
        for (JsonNode object : manifest.objects()) {
            if (!object.path("kind").asText().equals("CustomResourceDefinition")) {
                assertThat(object.at("/metadata/name").asText())
                        .as(Manifest.identity(object))
                        .matches("(seldon-system-)?sc(-.*)?");
                assertThat(object.at("/metadata/labels/app.kubernetes.io~1name").asText())
                        .isEqualTo("seldon");
            }
        }
        JsonNode deployment = manifest.get("Deployment", "sc");
        assertThat(deployment
                        .at("/spec/selector/matchLabels/app.kubernetes.io~1name")
                        .asText())
                .isEqualTo("seldon");
    }

    @Test
    void namespaceOverridePlacesEveryNamespacedObject() {
        Manifest manifest = render(Map.of("namespaceOverride", "ml-ops"));
        for (JsonNode object : manifest.objects()) {
            String namespace = object.at("/metadata/namespace").asText();
            assertThat(namespace).as(Manifest.identity(object)).isIn("", "ml-ops");
        }
        assertThat(manifest.get("Deployment", RELEASE).at("/metadata/namespace").asText())
                .isEqualTo("ml-ops");
    }

    static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    static JsonNode env(JsonNode container, String name) {
        return named(container.path("env"), name);
    }

    static String mountPath(JsonNode container, String volume) {
        return named(container.path("volumeMounts"), volume).path("mountPath").asText();
    }

    static JsonNode volume(JsonNode pod, String name) {
        return named(pod.path("volumes"), name);
    }

    static JsonNode named(JsonNode array, String name) {
        return StreamSupport.stream(array.spliterator(), false)
                .filter(item -> name.equals(item.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + array));
    }

    /** Verbs granted on a resource of an API group, across all rules. */
    static List<String> verbs(JsonNode rules, String group, String resource) {
        return StreamSupport.stream(rules.spliterator(), false)
                .filter(rule -> texts(rule.path("apiGroups")).contains(group)
                        && texts(rule.path("resources")).contains(resource))
                .flatMap(rule -> texts(rule.path("verbs")).stream())
                .toList();
    }
}
