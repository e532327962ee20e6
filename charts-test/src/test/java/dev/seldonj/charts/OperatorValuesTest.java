package dev.seldonj.charts;

import static dev.seldonj.charts.OperatorChartTest.RELEASE;
import static dev.seldonj.charts.OperatorChartTest.config;
import static dev.seldonj.charts.OperatorChartTest.env;
import static dev.seldonj.charts.OperatorChartTest.micronautConfig;
import static dev.seldonj.charts.OperatorChartTest.texts;
import static dev.seldonj.charts.OperatorChartTest.verbs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every documented value of the operator chart: what it renders, and that the result stays well formed. */
class OperatorValuesTest {

    private static Arguments option(String name, Map<String, ?> values, Consumer<Manifest> expect) {
        return Arguments.of(name, values, expect);
    }

    private static JsonNode controller(Manifest m) {
        return config(m);
    }

    private static JsonNode pod(Manifest m) {
        return m.get("Deployment", RELEASE).at("/spec/template/spec");
    }

    private static JsonNode container(Manifest m) {
        return pod(m).path("containers").get(0);
    }

    private static JsonNode webhook(Manifest m) {
        return m.only("ValidatingWebhookConfiguration").path("webhooks").get(0);
    }

    static Stream<Arguments> options() {
        return Stream.of(
                option("singleNamespace", Map.of("singleNamespace", true), m -> {
                    assertThat(m.ofKind("ClusterRole")).isEmpty();
                    assertThat(m.get("Role", RELEASE + "-manager")
                                    .at("/metadata/namespace")
                                    .asText())
                            .isEqualTo("seldon-system");
                    assertThat(texts(controller(m).path("watch-namespaces"))).containsExactly("seldon-system");
                    assertThat(texts(webhook(m).at("/namespaceSelector/matchExpressions/0/values")))
                            .containsExactly("seldon-system");
                }),
                option("watchNamespaces", Map.of("watchNamespaces[0]", "team-a", "watchNamespaces[1]", "team-b"), m -> {
                    assertThat(m.ofKind("ClusterRoleBinding")).isEmpty();
                    assertThat(m.ofKind("Role").stream()
                                    .map(r -> r.at("/metadata/namespace").asText()))
                            .containsExactlyInAnyOrder("team-a", "team-b", "seldon-system");
                    assertThat(m.ofKind("RoleBinding"))
                            .allSatisfy(b -> assertThat(
                                            b.at("/subjects/0/namespace").asText())
                                    .isEqualTo("seldon-system"));
                    assertThat(texts(controller(m).path("watch-namespaces"))).containsExactly("team-a", "team-b");
                }),
                option("controllerId", Map.of("controllerId", "blue"), m -> {
                    assertThat(controller(m).path("controller-id").asText()).isEqualTo("blue");
                    JsonNode expression = webhook(m).at("/objectSelector/matchExpressions/0");
                    assertThat(expression.path("key").asText()).isEqualTo("seldon.io/controller-id");
                    assertThat(expression.path("operator").asText()).isEqualTo("In");
                    assertThat(texts(expression.path("values"))).containsExactly("blue");
                }),
                option(
                        "kubeflow",
                        Map.of("kubeflow", true),
                        m -> assertThat(webhook(m)
                                        .at("/namespaceSelector/matchLabels/serving.kubeflow.org~1inferenceservice")
                                        .asText())
                                .isEqualTo("enabled")),
                option("certManager", Map.of("certManager.enabled", true), m -> {
                    assertThat(m.ofKind("Secret")).isEmpty();
                    assertThat(m.only("Issuer").at("/spec/selfSigned").isObject())
                            .isTrue();
                    JsonNode certificate = m.only("Certificate");
                    assertThat(certificate.at("/spec/secretName").asText()).isEqualTo(RELEASE + "-webhook-cert");
                    assertThat(texts(certificate.at("/spec/dnsNames")))
                            .contains(RELEASE + "-webhook.seldon-system.svc");
                    assertThat(m.only("ValidatingWebhookConfiguration")
                                    .at("/metadata/annotations/cert-manager.io~1inject-ca-from")
                                    .asText())
                            .isEqualTo("seldon-system/" + RELEASE + "-webhook-cert");
                    assertThat(webhook(m).at("/clientConfig/caBundle").isMissingNode())
                            .isTrue();
                }),
                option("webhook disabled", Map.of("webhook.enabled", false), m -> {
                    assertThat(m.ofKind("ValidatingWebhookConfiguration")).isEmpty();
                    assertThat(m.ofKind("Secret")).isEmpty();
                    assertThat(m.find("Service", RELEASE + "-webhook")).isEmpty();
                    assertThat(pod(m).toString()).doesNotContain("webhook-cert");
                    assertThat(controller(m).at("/webhook/enabled").asBoolean(true))
                            .isFalse();
                }),
                option("webhook port and timeout", Map.of("webhook.port", 9443, "webhook.timeoutSeconds", 5), m -> {
                    assertThat(container(m).at("/ports/0/containerPort").asInt())
                            .isEqualTo(9443);
                    assertThat(controller(m).at("/webhook/port").asInt()).isEqualTo(9443);
                    assertThat(webhook(m).path("timeoutSeconds").asInt()).isEqualTo(5);
                }),
                option("ambassador disabled", Map.of("ambassador.enabled", false), m -> {
                    assertThat(controller(m).at("/ambassador/enabled").asBoolean(true))
                            .isFalse();
                    assertThat(verbs(m.only("ClusterRole").path("rules"), "getambassador.io", "mappings"))
                            .isEmpty();
                }),
                option(
                        "ambassador singleNamespace and Seldon's version key",
                        Map.of("ambassador.singleNamespace", true, "ambassador.version", "v2"),
                        m -> assertThat(controller(m)
                                        .at("/ambassador/single-namespace")
                                        .asBoolean())
                                .isTrue()),
                option(
                        "istio",
                        Map.of("istio.enabled", true, "istio.gateway", "gw/seldon", "istio.tlsMode", "ISTIO_MUTUAL"),
                        m -> {
                            assertThat(controller(m).path("istio").toString())
                                    .isEqualTo(
                                            "{\"enabled\":true,\"gateway\":\"gw/seldon\",\"tls-mode\":\"ISTIO_MUTUAL\"}");
                            assertThat(verbs(
                                            m.only("ClusterRole").path("rules"),
                                            "networking.istio.io",
                                            "destinationrules"))
                                    .contains("create");
                        }),
                option("keda", Map.of("keda.enabled", true), m -> {
                    assertThat(controller(m).at("/keda/enabled").asBoolean()).isTrue();
                    assertThat(verbs(m.only("ClusterRole").path("rules"), "keda.sh", "scaledobjects"))
                            .contains("create");
                }),
                option(
                        "usageMetrics is accepted and changes nothing",
                        Map.of("usageMetrics.enabled", true),
                        m -> assertThat(m.identities()).hasSize(11)),
                option(
                        "controller image",
                        Map.of(
                                "image.registry",
                                "ghcr.io",
                                "image.repository",
                                "me/controller",
                                "image.tag",
                                "2.0",
                                "image.pullPolicy",
                                "Always",
                                "imagePullSecrets[0].name",
                                "regcred"),
                        m -> {
                            assertThat(container(m).path("image").asText()).isEqualTo("ghcr.io/me/controller:2.0");
                            assertThat(container(m).path("imagePullPolicy").asText())
                                    .isEqualTo("Always");
                            assertThat(pod(m).at("/imagePullSecrets/0/name").asText())
                                    .isEqualTo("regcred");
                        }),
                option(
                        "executor keys",
                        Map.ofEntries(
                                Map.entry("executor.image.registry", "quay.io"),
                                Map.entry("executor.image.tag", "9.9"),
                                Map.entry("executor.port", 8001),
                                Map.entry("executor.grpc.port", 5002),
                                Map.entry("executor.prometheus.path", "/metrics"),
                                Map.entry("executor.serviceAccount.name", "engine"),
                                Map.entry("executor.user", 1000),
                                Map.entry("executor.resources.cpuLimit", "2"),
                                Map.entry("executor.requestLogger.defaultEndpoint", "http://logger"),
                                Map.entry("executor.fullHealthChecks", true),
                                Map.entry("executor.readinessProbe.periodSeconds", 7),
                                Map.entry("executor.livenessProbe.initialDelaySeconds", 4),
                                Map.entry("executor.startupProbe.failureThreshold", 90),
                                Map.entry("executor.image.pullPolicy", "Always"),
                                Map.entry("executor.javaOpts", "-Xmx256m"),
                                Map.entry("executor.requestLogger.workQueueSize", 50),
                                Map.entry("executor.requestLogger.writeTimeoutMs", 100)),
                        m -> {
                            JsonNode engine = controller(m).path("engine");
                            assertThat(engine.path("image").asText()).isEqualTo("quay.io/seldonj/engine:9.9");
                            assertThat(engine.path("http-port").asInt()).isEqualTo(8001);
                            assertThat(engine.path("grpc-port").asInt()).isEqualTo(5002);
                            assertThat(engine.path("prometheus-path").asText()).isEqualTo("/metrics");
                            assertThat(engine.path("service-account-name").asText())
                                    .isEqualTo("engine");
                            assertThat(engine.path("user").asInt()).isEqualTo(1000);
                            assertThat(engine.path("cpu-limit").asText()).isEqualTo("2");
                            assertThat(engine.at("/request-logger/default-endpoint")
                                            .asText())
                                    .isEqualTo("http://logger");
                            assertThat(engine.path("full-health-checks").asBoolean())
                                    .isTrue();
                            assertThat(engine.at("/readiness-probe/period-seconds")
                                            .asInt())
                                    .isEqualTo(7);
                            assertThat(engine.at("/liveness-probe/initial-delay-seconds")
                                            .asInt())
                                    .isEqualTo(4);
                            assertThat(engine.at("/startup-probe/failure-threshold")
                                            .asInt())
                                    .isEqualTo(90);
                            assertThat(engine.path("image-pull-policy").asText())
                                    .isEqualTo("Always");
                            assertThat(engine.path("java-opts").asText()).isEqualTo("-Xmx256m");
                            assertThat(engine.at("/request-logger/work-queue-size")
                                            .asInt())
                                    .isEqualTo(50);
                            assertThat(engine.at("/request-logger/write-timeout-ms")
                                            .asInt())
                                    .isEqualTo(100);
                        }),
                option(
                        "Java-era engine keys win over executor keys",
                        Map.of(
                                "executor.port",
                                8001,
                                "engine.port",
                                8002,
                                "engine.image.repository",
                                "old/engine",
                                "engine.resources.memoryLimit",
                                "1Gi"),
                        m -> {
                            JsonNode engine = controller(m).path("engine");
                            assertThat(engine.path("http-port").asInt()).isEqualTo(8002);
                            assertThat(engine.path("image").asText()).isEqualTo("old/engine:0.1.0");
                            assertThat(engine.path("memory-limit").asText()).isEqualTo("1Gi");
                            assertThat(engine.path("memory-request").asText()).isEqualTo("512Mi");
                        }),
                option(
                        "defaultUserID empty means none",
                        Map.of("defaultUserID", ""),
                        m -> assertThat(controller(m).path("default-user-id").isNull())
                                .isTrue()),
                option(
                        "managerUserID",
                        Map.of("managerUserID", 1001),
                        m -> assertThat(pod(m).at("/securityContext/runAsUser").asInt())
                                .isEqualTo(1001)),
                option(
                        "manager pod settings",
                        Map.ofEntries(
                                Map.entry("manager.cpuLimit", "1"),
                                Map.entry("manager.memoryRequest", "300Mi"),
                                Map.entry("manager.javaOpts", "-Xmx200m"),
                                Map.entry("manager.logLevel", "DEBUG"),
                                Map.entry("manager.leaderElectionID", "my-lease"),
                                Map.entry("manager.deploymentNameAsPrefix", true),
                                Map.entry("manager.annotations.team", "ml"),
                                Map.entry("manager.podLabels.tier", "control"),
                                Map.entry("manager.containerSecurityContext.runAsUser", 2000),
                                Map.entry("manager.priorityClassName", "system-cluster-critical"),
                                Map.entry("manager.nodeSelector.kubernetes\\.io/os", "linux"),
                                Map.entry("manager.tolerations[0].key", "dedicated"),
                                Map.entry("manager.tolerations[0].operator", "Exists"),
                                Map.entry(
                                        "manager.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key",
                                        "zone"),
                                Map.entry(
                                        "manager.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator",
                                        "Exists")),
                        m -> {
                            assertThat(container(m).at("/resources/limits/cpu").asText())
                                    .isEqualTo("1");
                            assertThat(container(m)
                                            .at("/resources/requests/memory")
                                            .asText())
                                    .isEqualTo("300Mi");
                            assertThat(env(container(m), "JAVA_TOOL_OPTIONS")
                                            .path("value")
                                            .asText())
                                    .isEqualTo("-Xmx200m");
                            assertThat(micronautConfig(m)
                                            .at("/logger/levels/root")
                                            .asText())
                                    .isEqualTo("DEBUG");
                            assertThat(controller(m)
                                            .at("/leader-election/lease-name")
                                            .asText())
                                    .isEqualTo("my-lease");
                            assertThat(controller(m)
                                            .path("deployment-name-as-prefix")
                                            .asBoolean())
                                    .isTrue();
                            JsonNode template = m.get("Deployment", RELEASE).at("/spec/template/metadata");
                            assertThat(template.at("/annotations/team").asText())
                                    .isEqualTo("ml");
                            assertThat(template.at("/labels/tier").asText()).isEqualTo("control");
                            assertThat(container(m)
                                            .at("/securityContext/runAsUser")
                                            .asInt())
                                    .isEqualTo(2000);
                            assertThat(container(m)
                                            .at("/securityContext/readOnlyRootFilesystem")
                                            .asBoolean())
                                    .isTrue();
                            assertThat(pod(m).path("priorityClassName").asText())
                                    .isEqualTo("system-cluster-critical");
                            assertThat(pod(m).at("/nodeSelector/kubernetes.io~1os")
                                            .asText())
                                    .isEqualTo("linux");
                            assertThat(pod(m).at("/tolerations/0/key").asText()).isEqualTo("dedicated");
                            assertThat(pod(m).at("/affinity/nodeAffinity").isObject())
                                    .isTrue();
                        }),
                option(
                        "replicas with a disruption budget and a metrics service",
                        Map.of("replicaCount", 2, "podDisruptionBudget.enabled", true, "metrics.service.enabled", true),
                        m -> {
                            assertThat(m.get("Deployment", RELEASE)
                                            .at("/spec/replicas")
                                            .asInt())
                                    .isEqualTo(2);
                            assertThat(m.only("PodDisruptionBudget")
                                            .at("/spec/minAvailable")
                                            .asInt())
                                    .isEqualTo(1);
                            JsonNode metrics = m.get("Service", RELEASE + "-metrics");
                            assertThat(metrics.at("/metadata/annotations/prometheus.io~1path")
                                            .asText())
                                    .isEqualTo("/prometheus");
                            assertThat(metrics.at("/spec/ports/0/port").asInt()).isEqualTo(8080);
                        }),
                option("metrics port", Map.of("metrics.port", 9090), m -> {
                    assertThat(container(m).at("/ports/1/containerPort").asInt())
                            .isEqualTo(9090);
                    assertThat(micronautConfig(m).at("/micronaut/server/port").asInt())
                            .isEqualTo(9090);
                }),
                option("hostNetwork", Map.of("hostNetwork", true), m -> {
                    assertThat(pod(m).path("hostNetwork").asBoolean()).isTrue();
                    assertThat(pod(m).path("dnsPolicy").asText()).isEqualTo("ClusterFirstWithHostNet");
                }),
                option(
                        "existing service account",
                        Map.of("serviceAccount.create", false, "serviceAccount.name", "ops"),
                        m -> {
                            assertThat(m.ofKind("ServiceAccount")).isEmpty();
                            assertThat(pod(m).path("serviceAccountName").asText())
                                    .isEqualTo("ops");
                            assertThat(m.only("ClusterRoleBinding")
                                            .at("/subjects/0/name")
                                            .asText())
                                    .isEqualTo("ops");
                        }),
                option("no RBAC", Map.of("rbac.create", false, "rbac.configmap.create", false), m -> {
                    assertThat(m.ofKind("ClusterRole")).isEmpty();
                    assertThat(m.ofKind("Role")).isEmpty();
                }),
                option(
                        "predictive units",
                        Map.of(
                                "predictiveUnit.httpPort",
                                9100,
                                "predictiveUnit.grpcPort",
                                9600,
                                "predictiveUnit.metricsPort",
                                6100,
                                "predictiveUnit.metricsPortName",
                                "prom",
                                "predictiveUnit.defaultEnvSecretRefName",
                                "s3-creds"),
                        m -> assertThat(controller(m).path("predictive-unit").toString())
                                .isEqualTo(
                                        "{\"default-env-secret-ref-name\":\"s3-creds\",\"grpc-port\":9600,\"http-port\":9100,"
                                                + "\"metrics-port\":6100,\"metrics-port-name\":\"prom\"}")),
                option(
                        "Seldon 1.5's predictiveUnit.port",
                        Map.of("predictiveUnit.port", 9200),
                        m -> assertThat(controller(m)
                                        .at("/predictive-unit/http-port")
                                        .asInt())
                                .isEqualTo(9200)),
                option(
                        "storage initializer and explainer",
                        Map.of(
                                "storageInitializer.image",
                                "me/init:1",
                                "storageInitializer.memoryLimit",
                                "2Gi",
                                "explainer.image",
                                "me/explainer:1",
                                "explainer.image_v2",
                                "me/explainer:v2"),
                        m -> {
                            assertThat(controller(m)
                                            .at("/storage-initializer/image")
                                            .asText())
                                    .isEqualTo("me/init:1");
                            assertThat(controller(m)
                                            .at("/storage-initializer/memory-limit")
                                            .asText())
                                    .isEqualTo("2Gi");
                            assertThat(controller(m).at("/explainer/image-v2").asText())
                                    .isEqualTo("me/explainer:v2");
                        }),
                option(
                        "a custom prepackaged server",
                        Map.of(
                                "predictor_servers.CUSTOM_SERVER.protocols.v2.image",
                                "me/server",
                                "predictor_servers.CUSTOM_SERVER.protocols.v2.defaultImageVersion",
                                "1.0"),
                        m -> {
                            JsonNode servers = controller(m).path("predictor-servers");
                            assertThat(servers.at("/CUSTOM_SERVER/protocols/v2/image")
                                            .asText())
                                    .isEqualTo("me/server");
                            assertThat(servers.at("/CUSTOM_SERVER/protocols/v2/default-image-version")
                                            .asText())
                                    .isEqualTo("1.0");
                            assertThat(servers.at("/SKLEARN_SERVER/protocols/seldon/image")
                                            .asText())
                                    .isEqualTo("seldonj/sklearnserver");
                        }),
                option(
                        "ignored Seldon keys are accepted",
                        Map.of(
                                "credentials.s3.s3AccessKeyIDName",
                                "id",
                                "crd.forceV1",
                                true,
                                "executor.enabled",
                                true,
                                "executor.metricsPortName",
                                "metrics",
                                "engine.logMessagesExternally",
                                false),
                        m -> assertThat(m.identities()).hasSize(11)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("options")
    void rendersOption(String name, Map<String, ?> values, Consumer<Manifest> expect) {
        Manifest manifest =
                HelmRender.of(Repository.OPERATOR, RELEASE).set(values).render();
        ChartChecks.wellFormed(manifest);
        expect.accept(manifest);
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(Map.of("managerCreateResources", true), "managerCreateResources"),
                Arguments.of(Map.of("crd.forceV1beta1", true), "crd.forceV1beta1"),
                Arguments.of(Map.of("certManager.enabled", true, "webhook.enabled", false), "webhook.enabled"),
                Arguments.of(
                        Map.of("singleNamespace", true, "watchNamespaces[0]", "a"),
                        "either singleNamespace or watchNamespaces"),
                Arguments.of(
                        Map.of("ambassador.enabled", false, "ambassador.singleNamespace", true),
                        "ambassador.singleNamespace"),
                Arguments.of(Map.of("manager.logLevel", "LOUD"), "manager.logLevel"),
                Arguments.of(Map.of("watchNamespaces[0]", "Not_A_Namespace"), "watchNamespaces"),
                Arguments.of(Map.of("istio.enabeld", true), "enabeld"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusedWithAMessageNamingTheValue(Map<String, ?> values, String named) {
        assertThatThrownBy(() ->
                        HelmRender.of(Repository.OPERATOR, RELEASE).set(values).render())
                .isInstanceOf(HelmRender.HelmException.class)
                .hasMessageContaining(named);
    }
}
