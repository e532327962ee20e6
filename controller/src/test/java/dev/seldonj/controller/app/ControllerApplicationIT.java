package dev.seldonj.controller.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.seldonj.api.model.Protocol;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.controller.reconcile.MockCluster;
import dev.seldonj.controller.testing.EnableMockApiServer;
import dev.seldonj.controller.webhook.TestCertificates;
import dev.seldonj.controller.webhook.WebhookServer;
import dev.seldonj.desired.config.OperatorConfig;
import dev.seldonj.desired.config.OperatorConfigLoader;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole application as the chart runs it: the chart's controller settings file, leader election on a
 * Lease, the webhook over HTTPS with a mounted certificate, /health and /prometheus, and a
 * SeldonDeployment reconciled end to end, all against the CRUD mock API server.
 */
@EnableMockApiServer
class ControllerApplicationIT {

    static KubernetesClient client;
    static KubernetesMockServer server;
    static ApplicationContext context;
    static EmbeddedServer http;
    static TestCertificates certificates;

    @TempDir
    static Path certDir;

    @BeforeAll
    static void start() throws Exception {
        MockCluster.installCrd(client);
        MockCluster.installForeignCrd(client, "getambassador.io", "v3alpha1", "Mapping", "mappings");
        certificates = TestCertificates.write(certDir);
        // JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the CRUD mock cannot answer.
        server.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        new SelfSubjectRulesReviewBuilder()
                                .withNewStatus()
                                .addNewResourceRule()
                                .withApiGroups("coordination.k8s.io")
                                .withResources("leases")
                                .withVerbs("*")
                                .endResourceRule()
                                .withIncomplete(false)
                                .endStatus()
                                .build())
                .always();
        // The chart's settings file with the webhook on a free port and the test certificate, read as the
        // operator command reads it.
        String chart = readChartFile();
        String settings = replaceOnce(
                replaceOnce(chart, "\n  port: 4443\n", "\n  port: 0\n"),
                "cert-dir: /tmp/k8s-webhook-server/serving-certs",
                "cert-dir: " + certDir);
        OperatorConfig config = OperatorConfigLoader.fromFile(
                Files.writeString(certDir.resolve("controller.yaml"), settings, StandardCharsets.UTF_8));
        context = ApplicationContext.builder()
                .singletons(client, config)
                .properties(Map.of("micronaut.server.port", -1))
                .start();
        http = context.getBean(EmbeddedServer.class).start();
    }

    private static String readChartFile() throws IOException {
        try (InputStream in = ControllerApplicationIT.class.getResourceAsStream("/chart-controller.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String replaceOnce(String text, String target, String replacement) {
        if (!text.contains(target)) {
            throw new IllegalStateException("chart-controller.yaml no longer contains '" + target + "'");
        }
        return text.replace(target, replacement);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    @Test
    void bindsTheChartFileKeepingImplementationNames() {
        OperatorConfig config = context.getBean(OperatorConfig.class);
        assertThat(config.predictorServers().names())
                .contains("SKLEARN_SERVER", "HUGGINGFACE_SERVER", "MY_CUSTOM_SERVER");
        assertThat(config.predictorServers().image("SKLEARN_SERVER", Protocol.V2))
                .contains("seldonio/mlserver:1.3.5-sklearn");
        assertThat(config.leaderElection().leaseName()).isEqualTo("seldon-core-seldon-core-operator-leader");
        assertThat(config.engine().requestLogger().workQueueSize()).isEqualTo(10000);
    }

    @Test
    void takesTheLeaseAndReconciles() {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> client.resources(Lease.class)
                                .inNamespace("seldon-system")
                                .withName("seldon-core-seldon-core-operator-leader")
                                .get()
                        != null);
        client.resource(MockCluster.sdep(MockCluster.example("examples/seldon-model.yaml"), "app"))
                .create();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> client.resources(Deployment.class)
                                .inNamespace("app")
                                .withName("seldon-model-example-0-classifier")
                                .get()
                        != null);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    SeldonDeployment s = client.resources(SeldonDeployment.class)
                            .inNamespace("app")
                            .withName("seldon-model")
                            .get();
                    return s.getStatus() != null
                            && "Creating".equals(s.getStatus().getState());
                });
    }

    @Test
    void servesHealthAndPrometheus() throws Exception {
        HttpClient web = HttpClient.newHttpClient();
        HttpResponse<String> health = web.send(
                HttpRequest.newBuilder(http.getURI().resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("UP");
        HttpResponse<String> metrics = web.send(
                HttpRequest.newBuilder(http.getURI().resolve("/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("seldonj_controller_objects_applied")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void servesTheAdmissionWebhookOverHttps() throws Exception {
        int port = context.getBean(WebhookRunner.class).port();
        HttpClient https =
                HttpClient.newBuilder().sslContext(certificates.trusting()).build();
        String review = """
        {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u1","operation":"CREATE",
        "object":{"apiVersion":"machinelearning.seldon.io/v1","kind":"SeldonDeployment","metadata":{"name":"m"},
        "spec":{"predictors":[{"name":"p","graph":{"name":"c","implementation":"MY_CUSTOM_SERVER","modelUri":"gs://b/m"}}]}}}}""";
        HttpResponse<String> allowed = https.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + WebhookServer.PATH))
                        .POST(HttpRequest.BodyPublishers.ofString(review))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.body()).contains("\"uid\":\"u1\"").contains("\"allowed\":true");

        HttpResponse<String> denied = https.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + WebhookServer.PATH))
                        .POST(HttpRequest.BodyPublishers.ofString(review.replace("MY_CUSTOM_SERVER", "UNKNOWN_SERVER")))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(denied.body()).contains("\"allowed\":false").contains("spec.predictors[0].graph");

        HttpResponse<String> garbage = https.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + WebhookServer.PATH))
                        .POST(HttpRequest.BodyPublishers.ofString("not json"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(garbage.statusCode()).isEqualTo(400);
    }
}
