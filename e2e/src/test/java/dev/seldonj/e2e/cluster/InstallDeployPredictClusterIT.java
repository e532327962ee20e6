package dev.seldonj.e2e.cluster;

import static dev.seldonj.e2e.cluster.Operators.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.model.SeldonDeployment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The user's flow on a real control plane, in order: {@code helm install seldon-core-operator}
 * (the operator runs as the chart's pod, under the chart's RBAC, on the node agent), {@code helm
 * upgrade} (the webhook certificate survives), {@code helm install seldon-single-model --set
 * model.image.name=...} (admitted by the API server's call to the webhook), Available through the
 * real Deployment controller, predictions through the gateway (REST, gRPC, Seldon's Python client),
 * a 75/25 canary, kubectl's views and scale, an invalid SeldonDeployment refused, delete through the
 * real garbage collector, uninstall keeping the CRD.
 */
@TestMethodOrder(OrderAnnotation.class)
class InstallDeployPredictClusterIT {

    static final String OPERATOR_NAMESPACE = "seldon-system";
    static final String OPERATOR_RELEASE = "seldon-core-operator";
    static final String NAMESPACE = "seldon";
    static final String RELEASE = "seldon-model";
    static final String MODEL_IMAGE = "seldonj/mock-classifier:0.1.0";
    static final String PREDICTION = "{\"data\":{\"ndarray\":[[1,2,5]]}}";
    private static final ObjectMapper JSON = new ObjectMapper();

    static TestCluster cluster;
    static KubernetesClient client;
    static String webhookCertificate;

    @BeforeAll
    static void cluster() {
        cluster = TestCluster.get();
        client = cluster.admin();
        Operators.cleanSlate(cluster);
    }

    @Test
    @Order(1)
    void helmInstallsTheOperatorAndItsPodBecomesReady() {
        Operators.install(cluster, OPERATOR_RELEASE, OPERATOR_NAMESPACE);
        Deployment operator = client.apps()
                .deployments()
                .inNamespace(OPERATOR_NAMESPACE)
                .withName(OPERATOR_RELEASE)
                .get();
        assertThat(operator.getStatus().getAvailableReplicas()).isEqualTo(1);
        Pod pod = client.pods().inNamespace(OPERATOR_NAMESPACE).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().startsWith(OPERATOR_RELEASE))
                .findFirst()
                .orElseThrow();
        assertThat(pod.getSpec().getNodeName()).isEqualTo("seldonj-node");
        assertThat(pod.getStatus().getPodIP()).startsWith("10.244.100.");
        // The API server reaches the webhook at this pod address (aggregator routing), never at a ClusterIP.
        eventually("the webhook Service's endpoints hold the operator pod")
                .until(() -> endpointAddresses(OPERATOR_NAMESPACE, webhookService())
                        .contains(pod.getStatus().getPodIP()));
        webhookCertificate = webhookSecret().getData().get("tls.crt");
        assertThat(webhookCertificate).isNotBlank();
    }

    @Test
    @Order(2)
    void helmUpgradeKeepsTheWebhookCertificate() {
        Operators.upgrade(cluster, OPERATOR_RELEASE, OPERATOR_NAMESPACE, "manager.logLevel=DEBUG");
        assertThat(webhookSecret().getData().get("tls.crt")).isEqualTo(webhookCertificate);
        String caBundle = cluster.kubectl(
                        "get",
                        "validatingwebhookconfiguration",
                        "-o",
                        "jsonpath={.items[*].webhooks[0].clientConfig.caBundle}")
                .orThrow();
        assertThat(caBundle).isEqualTo(webhookSecret().getData().get("ca.crt"));
    }

    @Test
    @Order(3)
    void helmInstallsTheSingleModelChartAndItBecomesAvailable() {
        cluster.helm(
                        "install",
                        RELEASE,
                        chart("seldon-single-model"),
                        "-n",
                        NAMESPACE,
                        "--create-namespace",
                        "--set",
                        "model.image.name=" + MODEL_IMAGE)
                .orThrow();
        eventually("the SeldonDeployment is Available", Duration.ofMinutes(3))
                .until(() -> "Available".equals(state(NAMESPACE, RELEASE)));
        Deployment deployment = client.apps()
                .deployments()
                .inNamespace(NAMESPACE)
                .withName(RELEASE + "-default-0-model")
                .get();
        assertThat(deployment.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Available");
            assertThat(c.getStatus()).isEqualTo("True");
        });
        // kube-controller-manager made the ReplicaSet and the pod; the node agent ran it.
        assertThat(client.apps().replicaSets().inNamespace(NAMESPACE).list().getItems())
                .isNotEmpty();
    }

    @Test
    @Order(4)
    void predictsOverRestAndGrpcThroughTheGateway() throws Exception {
        // Available comes from the Deployment; the gateway routes once it has seen the ready EndpointSlice.
        eventually("the gateway routes to the model")
                .until(() -> Gateway.predict(NAMESPACE, RELEASE, PREDICTION).statusCode() == 200);
        // The README's curl, as a user types it.
        String curl = Command.run(
                        List.of(
                                "curl",
                                "-sS",
                                "--fail-with-body",
                                "-X",
                                "POST",
                                "-H",
                                "Content-Type: application/json",
                                "-d",
                                PREDICTION,
                                "http://localhost:" + Gateway.PORT + "/seldon/" + NAMESPACE + "/" + RELEASE
                                        + "/api/v1.0/predictions"),
                        Map.of(),
                        null,
                        Duration.ofSeconds(60))
                .orThrow();
        assertThat(JSON.readTree(curl).path("data").path("ndarray").toString()).isEqualTo("[[0.43782349911420193]]");

        HttpResponse<String> rest = Gateway.predict(NAMESPACE, RELEASE, PREDICTION);
        assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(rest.body());
        assertThat(answer.path("data").path("names").toString()).isEqualTo("[\"proba\"]");
        assertThat(answer.path("data").path("ndarray").toString()).isEqualTo("[[0.43782349911420193]]");

        SeldonMessage grpc = Gateway.predictGrpc(
                NAMESPACE,
                RELEASE,
                SeldonMessage.newBuilder()
                        .setData(DefaultData.newBuilder()
                                .setTensor(Tensor.newBuilder()
                                        .addShape(1)
                                        .addShape(3)
                                        .addValues(1)
                                        .addValues(2)
                                        .addValues(5)))
                        .build());
        assertThat(grpc.getData().getTensor().getValuesList()).containsExactly(0.43782349911420193);
    }

    @Test
    @Order(5)
    void seldonsPythonClientPredictsOverRestAndGrpc() {
        Path python = TestCluster.REPOSITORY.resolve(".venv/bin/python");
        assertThat(python)
                .as("make venv (the compat module creates it in make test)")
                .isExecutable();
        Command client = Command.run(
                List.of(
                        python.toString(),
                        TestCluster.REPOSITORY
                                .resolve("ci/seldon_client_predict.py")
                                .toString(),
                        "--deployment",
                        RELEASE,
                        "--namespace",
                        NAMESPACE,
                        "--endpoint",
                        "localhost:" + Gateway.PORT),
                Map.of(),
                null,
                Duration.ofMinutes(2));
        assertThat(client.exit()).as(client.stdout() + client.stderr()).isZero();
        assertThat(client.stdout()).contains("rest/ndarray: success=True", "grpc/tensor: success=True");
    }

    @Test
    @Order(6)
    void aPythonModelOnTheProjectsWrapperServesThroughTheEngine() throws Exception {
        // examples/python-model: the seeds' MyModel in an image on the Apache-2.0 wrapper (seldon-core-microservice).
        String release = "python-model";
        cluster.helm(
                        "install",
                        release,
                        chart("seldon-single-model"),
                        "-n",
                        NAMESPACE,
                        "--set",
                        "model.image.name=seldonj/python-example-model:0.1.0")
                .orThrow();
        try {
            eventually("the Python model is Available", Duration.ofMinutes(3))
                    .until(() -> "Available".equals(state(NAMESPACE, release)));
            String request = "{\"meta\":{\"tags\":{\"a\":1}},\"data\":{\"names\":[\"x\",\"y\"],\"ndarray\":[[1,2.5]]}}";
            // Available comes from the Deployment; the gateway routes once it has seen the ready EndpointSlice
            eventually("the gateway routes to the Python model")
                    .until(() -> Gateway.predict(NAMESPACE, release, request).statusCode() == 200);
            HttpResponse<String> rest = Gateway.predict(NAMESPACE, release, request);
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(rest.body());
            assertThat(answer.path("data").path("ndarray").toString()).isEqualTo("[[1.0,2.5]]");
            assertThat(answer.path("data").path("names").toString()).isEqualTo("[\"t:0\",\"t:1\"]");
            assertThat(answer.path("meta").path("requestPath").path("model").asText())
                    .isEqualTo("seldonj/python-example-model:0.1.0");
            assertThat(answer.path("meta").path("tags").path("a").asInt()).isEqualTo(1);

            SeldonMessage grpc = Gateway.predictGrpc(
                    NAMESPACE,
                    release,
                    SeldonMessage.newBuilder().setStrData("hello").build());
            assertThat(grpc.getStrData()).isEqualTo("hello");

            HttpResponse<String> bad =
                    Gateway.predict(NAMESPACE, release, "{\"data\":{\"tensor\":{\"shape\":[2],\"values\":[1]}}}");
            assertThat(bad.statusCode()).as(bad.body()).isEqualTo(400);
            assertThat(bad.body()).contains("data.tensor: 1 values do not fill shape [2]");
        } finally {
            cluster.helm("uninstall", release, "-n", NAMESPACE, "--wait").orThrow();
            // the garbage collector works in the background: the next tests count the namespace's children
            eventually("the Python model's children and pods are gone", Duration.ofMinutes(2))
                    .until(() -> children(NAMESPACE).stream()
                                    .noneMatch(c -> c.getMetadata().getName().startsWith(release))
                            && client.pods().inNamespace(NAMESPACE).list().getItems().stream()
                                    .noneMatch(p -> p.getMetadata().getName().startsWith(release + "-")));
        }
    }

    @Test
    @Order(7)
    void kubectlShowsScalesAndExplainsSeldonDeployments() {
        String table = cluster.kubectl("get", "sdep", "-n", NAMESPACE).orThrow();
        assertThat(table.lines().findFirst().orElseThrow()).contains("NAME").contains("STATE");
        assertThat(table).contains(RELEASE).contains("Available");

        cluster.kubectl("scale", "sdep", RELEASE, "-n", NAMESPACE, "--replicas=3")
                .orThrow();
        eventually("the Deployment has 3 ready replicas", Duration.ofMinutes(3)).until(() -> {
            Deployment d = client.apps()
                    .deployments()
                    .inNamespace(NAMESPACE)
                    .withName(RELEASE + "-default-0-model")
                    .get();
            return d.getSpec().getReplicas() == 3
                    && d.getStatus().getReadyReplicas() != null
                    && d.getStatus().getReadyReplicas() == 3;
        });
        assertThat(cluster.kubectl("get", "sdep", RELEASE, "-n", NAMESPACE, "-o", "jsonpath={.status.replicas}")
                        .orThrow())
                .isEqualTo("3");
        cluster.kubectl("scale", "sdep", RELEASE, "-n", NAMESPACE, "--replicas=1")
                .orThrow();

        String explained =
                cluster.kubectl("explain", "seldondeployment.spec.predictors").orThrow();
        assertThat(explained).contains("KIND:").contains("SeldonDeployment").contains("graph");
    }

    @Test
    @Order(8)
    void theApiServerRefusesAnInvalidSeldonDeploymentWithTheValidatorsMessage() {
        Command apply = cluster.kubectlWithInput(Sdeps.invalid("broken"), "apply", "-n", NAMESPACE, "-f", "-");
        assertThat(apply.ok()).as(apply.stdout()).isFalse();
        assertThat(apply.stderr())
                .contains("admission webhook")
                .contains("denied the request")
                .contains("spec.predictors[0]");
    }

    @Test
    @Order(9)
    void aCanarySplitsTrafficSeventyFiveTwentyFive() throws Exception {
        cluster.kubectl(
                        "apply",
                        "-n",
                        NAMESPACE,
                        "-f",
                        TestCluster.REPOSITORY
                                .resolve("ci/canary-seldondeployment.yaml")
                                .toString())
                .orThrow();
        eventually("the canary is Available", Duration.ofMinutes(3))
                .until(() -> "Available".equals(state(NAMESPACE, "canary")));
        eventually("both predictors answer")
                .until(() -> Gateway.predict(NAMESPACE, "canary", PREDICTION).statusCode() == 200);
        int canary = 0;
        int total = 1000;
        for (int i = 0; i < total; i++) {
            HttpResponse<String> answer = Gateway.predict(NAMESPACE, "canary", PREDICTION);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            if (JSON.readTree(answer.body()).path("meta").path("requestPath").has("classifier-canary")) {
                canary++;
            }
        }
        // Binomial(1000, 0.25): the standard deviation is 13.7; 5 of them either side.
        assertThat(canary).isBetween(181, 319);
        // Foreground: the command returns once the garbage collector removed the canary's children, so the
        // next test sees only the release's.
        cluster.kubectl("delete", "sdep", "canary", "-n", NAMESPACE, "--cascade=foreground", "--wait=true")
                .orThrow();
    }

    @Test
    @Order(10)
    void deletingTheSeldonDeploymentLetsTheGarbageCollectorRemoveEveryChild() {
        SeldonDeployment sdep = client.resources(SeldonDeployment.class)
                .inNamespace(NAMESPACE)
                .withName(RELEASE)
                .get();
        List<HasMetadata> children = children(NAMESPACE);
        assertThat(children)
                .isNotEmpty()
                .allSatisfy(child -> assertThat(child.getMetadata().getOwnerReferences())
                        .as(child.getKind() + "/" + child.getMetadata().getName())
                        .anySatisfy(ref -> assertThat(ref.getUid())
                                .isEqualTo(sdep.getMetadata().getUid())));
        cluster.kubectl("delete", "sdep", RELEASE, "-n", NAMESPACE, "--wait=true")
                .orThrow();
        eventually("every child is gone", Duration.ofMinutes(2))
                .until(() -> children(NAMESPACE).isEmpty()
                        && client.pods()
                                .inNamespace(NAMESPACE)
                                .list()
                                .getItems()
                                .isEmpty());
        eventually("no pod process or network namespace is left")
                .until(() -> nodeAgentPods().isEmpty());
    }

    @Test
    @Order(11)
    void helmUninstallKeepsTheCrd() {
        cluster.helm("uninstall", RELEASE, "-n", NAMESPACE).orThrow();
        cluster.helm("uninstall", OPERATOR_RELEASE, "-n", OPERATOR_NAMESPACE, "--wait")
                .orThrow();
        assertThat(client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .withName("seldondeployments.machinelearning.seldon.io")
                        .get())
                .as("crd.keep=true")
                .isNotNull();
        assertThat(cluster.kubectl("get", "validatingwebhookconfiguration", "-o", "name")
                        .orThrow())
                .doesNotContain("seldon");
        eventually("the operator pod stopped")
                .until(() -> client.pods()
                        .inNamespace(OPERATOR_NAMESPACE)
                        .list()
                        .getItems()
                        .isEmpty());
    }

    static String chart(String name) {
        return TestCluster.REPOSITORY.resolve("charts").resolve(name).toString();
    }

    /** The Service the ValidatingWebhookConfiguration names. */
    static String webhookService() {
        return cluster.kubectl(
                        "get",
                        "validatingwebhookconfiguration",
                        "-o",
                        "jsonpath={.items[0].webhooks[0].clientConfig.service.name}")
                .orThrow();
    }

    static Secret webhookSecret() {
        return client.secrets().inNamespace(OPERATOR_NAMESPACE).list().getItems().stream()
                .filter(s -> "kubernetes.io/tls".equals(s.getType()))
                .findFirst()
                .orElseThrow();
    }

    static String state(String namespace, String name) {
        SeldonDeployment sdep = client.resources(SeldonDeployment.class)
                .inNamespace(namespace)
                .withName(name)
                .get();
        return sdep == null || sdep.getStatus() == null
                ? null
                : sdep.getStatus().getState();
    }

    static List<String> endpointAddresses(String namespace, String service) {
        List<String> addresses = new ArrayList<>();
        for (EndpointSlice slice : client.discovery()
                .v1()
                .endpointSlices()
                .inNamespace(namespace)
                .withLabel("kubernetes.io/service-name", service)
                .list()
                .getItems()) {
            slice.getEndpoints().forEach(e -> addresses.addAll(e.getAddresses()));
        }
        return addresses;
    }

    /** Every object of the kinds the controller creates in a namespace, whoever created them. */
    static List<HasMetadata> children(String namespace) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        objects.addAll(client.services().inNamespace(namespace).list().getItems());
        objects.addAll(client.genericKubernetesResources("getambassador.io/v3alpha1", "Mapping")
                .inNamespace(namespace)
                .list()
                .getItems());
        objects.addAll(client.autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(namespace)
                .list()
                .getItems());
        objects.addAll(client.policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(namespace)
                .list()
                .getItems());
        return objects;
    }

    /**
     * What the node agent still holds on this machine for pods the API server no longer has: network
     * namespaces ({@code sjp-<first 8 hex of the uid>}), per-pod folders ({@code pods/<uid>}; the logs'
     * folders are kept on purpose) and container processes.
     */
    static List<String> nodeAgentPods() {
        List<String> uids = client.pods().inAnyNamespace().list().getItems().stream()
                .map(p -> p.getMetadata().getUid())
                .toList();
        List<String> expectedNetns = uids.stream()
                .map(uid -> "sjp-" + uid.replace("-", "").substring(0, 8))
                .toList();
        List<String> left = new ArrayList<>();
        Command.run(List.of("ip", "netns", "list"), Map.of(), null, Duration.ofSeconds(10))
                .stdout()
                .lines()
                .map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith("sjp-") && !expectedNetns.contains(n))
                .forEach(left::add);
        Path pods = TestCluster.stateDir().resolve("node/pods");
        if (Files.isDirectory(pods)) {
            try (var list = Files.list(pods)) {
                list.map(p -> p.getFileName().toString())
                        .filter(n -> !n.contains("_") && !uids.contains(n))
                        .forEach(left::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains("seldonj-components.jar"))
                .forEach(p -> left.add(
                        "process " + p.pid() + " " + p.info().commandLine().orElse("")));
        return left;
    }
}
