package dev.seldonj.e2e.cluster;

import static dev.seldonj.e2e.cluster.Operators.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seeds' SKLEARN_SERVER manifests (examples/seeds), unchanged, on the real control plane: the operator
 * is told (as Seldon's rclone initializer docs say) which Secret configures the storage initializer
 * ({@code predictiveUnit.defaultEnvSecretRefName}), the Secret points the {@code gs} remote at a local
 * Google Cloud Storage on the node's bridge address, the node agent runs the init container to completion
 * before the model server, both sharing the pod's emptyDir at /mnt/models, and the gateway serves it.
 */
class SeedModelsClusterIT {

    /** The node's bridge address, which pods reach (ci/cluster/versions.sh BRIDGE_ADDRESS). */
    private static final String NODE_ADDRESS = "10.244.100.1";

    private static final String SECRET = "seldon-rclone-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestCluster cluster;
    private static KubernetesClient client;
    private static String operatorNamespace;
    private static String namespace;
    private static LocalGcs gcs;

    @BeforeAll
    static void operatorAndBucket() throws Exception {
        cluster = TestCluster.get();
        client = cluster.admin();
        Operators.cleanSlate(cluster);
        operatorNamespace = cluster.createNamespace("seeds-operator");
        namespace = cluster.createNamespace("seeds");
        Operators.install(cluster, "seeds", operatorNamespace, "predictiveUnit.defaultEnvSecretRefName=" + SECRET);
        gcs = LocalGcs.start(NODE_ADDRESS);
        client.secrets()
                .inNamespace(namespace)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName(SECRET)
                        .endMetadata()
                        .addToStringData("RCLONE_CONFIG_GS_TYPE", "google cloud storage")
                        .addToStringData("RCLONE_CONFIG_GS_ANONYMOUS", "true")
                        .addToStringData("RCLONE_CONFIG_GS_ENDPOINT", gcs.endpoint())
                        .build())
                .create();
        // seed 000 runs its model under this service account, which the seed's text creates beside it
        client.serviceAccounts()
                .inNamespace(namespace)
                .resource(new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("user-gcp-sa")
                        .endMetadata()
                        .build())
                .create();
    }

    @AfterAll
    static void uninstall() {
        if (gcs != null) {
            gcs.close();
        }
        if (cluster != null) {
            Operators.uninstall(cluster, "seeds", operatorNamespace);
            Operators.cleanSlate(cluster);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed-000-sklearn-iris.yaml", "seed-002-sklearn-iris.yaml"})
    void theSeedsManifestServesIrisThroughTheGateway(String manifest) throws Exception {
        cluster.kubectl(
                        "apply",
                        "-n",
                        namespace,
                        "-f",
                        TestCluster.REPOSITORY
                                .resolve("examples/seeds")
                                .resolve(manifest)
                                .toString())
                .orThrow();
        try {
            eventually("the seed's SeldonDeployment is Available", Duration.ofMinutes(4))
                    .until(() -> "Available"
                            .equals(cluster.kubectl(
                                            "get", "sdep", "sklearn", "-n", namespace, "-o", "jsonpath={.status.state}")
                                    .orThrow()));
            String flowers = "{\"data\":{\"ndarray\":[[5.1,3.5,1.4,0.2],[6.7,3.0,5.2,2.3]]}}";
            // Available comes from the Deployment; the gateway routes once it has seen the ready EndpointSlice
            eventually("the gateway routes to the new pod")
                    .until(() -> Gateway.predict(namespace, "sklearn", flowers).statusCode() == 200);
            HttpResponse<String> answer = Gateway.predict(namespace, "sklearn", flowers);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(answer.body());
            assertThat(body.at("/data/names").toString()).isEqualTo("[\"t:0\",\"t:1\",\"t:2\"]");
            assertThat(Gateway.argmax(body.at("/data/ndarray/0"))).as("setosa").isZero();
            assertThat(Gateway.argmax(body.at("/data/ndarray/1")))
                    .as("virginica")
                    .isEqualTo(2);

            Pod pod = client.pods().inNamespace(namespace).list().getItems().stream()
                    .filter(p -> p.getMetadata().getName().startsWith("sklearn-"))
                    .findFirst()
                    .orElseThrow();
            ContainerStatus init = pod.getStatus().getInitContainerStatuses().get(0);
            assertThat(init.getName()).isEqualTo("classifier-model-initializer");
            assertThat(init.getState().getTerminated().getExitCode()).isZero();
            assertThat(pod.getSpec().getInitContainers().get(0).getImage()).startsWith("seldonj/storage-initializer:");
            if (manifest.startsWith("seed-000")) {
                assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("user-gcp-sa");
            }
        } finally {
            cluster.kubectl("delete", "sdep", "sklearn", "-n", namespace, "--cascade=foreground", "--wait=true")
                    .orThrow();
            eventually("the seed's pods are gone", Duration.ofMinutes(2))
                    .until(() -> client.pods()
                            .inNamespace(namespace)
                            .list()
                            .getItems()
                            .isEmpty());
        }
    }
}
