package dev.seldonj.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seldonj.node.net.PodNetNames;
import dev.seldonj.node.net.Subnet;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;

/**
 * The node agent against the real control plane (ci/cluster/up.sh): Deployments become Available
 * through kube-controller-manager, EndpointSlices hold the real pod addresses, probes restart and gate,
 * volumes, env and security contexts hold inside the container, deletion leaves nothing behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeAgentIT {

    private static final String MOCK = "seldonj/mock-classifier:0.1.0";
    private static final Duration START = Duration.ofSeconds(90);

    private TestCluster cluster;
    private KubernetesClient client;
    private String ns;

    /** Why every test is skipped (no cluster), or null. */
    private String skipped;

    @BeforeAll
    void setUp() {
        try {
            cluster = TestCluster.connectOrSkip();
        } catch (TestAbortedException e) {
            // Reported by each test (a class-level skip would show as "0 tests" without the reason).
            skipped = e.getMessage().replaceFirst("^Assumption failed: ", "");
            return;
        }
        client = cluster.client;
        Path jar = TestCluster.REPO.resolve("components/target/seldonj-components.jar");
        assertThat(jar)
                .as("the mock classifier's jar: mvn -B -ntp -pl components -am install -DskipTests")
                .exists();
        ns = "node-it-" + UUID.randomUUID().toString().substring(0, 6);
        client.namespaces()
                .resource(new NamespaceBuilder()
                        .withNewMetadata()
                        .withName(ns)
                        .endMetadata()
                        .build())
                .create();
        // The ServiceAccount admission refuses pods until the namespace's default account exists.
        TestCluster.await(
                Duration.ofSeconds(30),
                () -> client.serviceAccounts()
                                .inNamespace(ns)
                                .withName("default")
                                .get()
                        != null,
                "default ServiceAccount in " + ns);
    }

    @BeforeEach
    void skipWithoutCluster() {
        Assumptions.assumeTrue(skipped == null, skipped);
    }

    @AfterAll
    void tearDown() {
        if (client != null && ns != null) {
            client.namespaces().withName(ns).delete();
            TestCluster.await(
                    Duration.ofSeconds(90),
                    () -> client.pods().inNamespace(ns).list().getItems().isEmpty(),
                    "every pod of " + ns + " stopped and deleted");
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aMockClassifierDeploymentBecomesAvailableAnswersOnItsPodAddressAndLeavesNothingWhenDeleted() throws Exception {
        client.apps()
                .deployments()
                .inNamespace(ns)
                .resource(new DeploymentBuilder()
                        .withNewMetadata()
                        .withName("mock")
                        .endMetadata()
                        .withNewSpec()
                        .withReplicas(1)
                        .withNewSelector()
                        .addToMatchLabels("app", "mock")
                        .endSelector()
                        .withNewTemplate()
                        .withNewMetadata()
                        .addToLabels("app", "mock")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(5L)
                        .addNewContainer()
                        .withName("classifier")
                        .withImage(MOCK)
                        .addNewPort()
                        .withName("http")
                        .withContainerPort(9000)
                        .endPort()
                        .withNewReadinessProbe()
                        .withNewHttpGet()
                        .withPath("/health/ping")
                        .withPort(new IntOrString("http"))
                        .endHttpGet()
                        .withPeriodSeconds(1)
                        .endReadinessProbe()
                        .endContainer()
                        .endSpec()
                        .endTemplate()
                        .endSpec()
                        .build())
                .create();
        client.services()
                .inNamespace(ns)
                .resource(new ServiceBuilder()
                        .withNewMetadata()
                        .withName("mock")
                        .endMetadata()
                        .withNewSpec()
                        .addToSelector("app", "mock")
                        .addNewPort()
                        .withName("http")
                        .withPort(9000)
                        .withTargetPort(new IntOrString("http"))
                        .endPort()
                        .endSpec()
                        .build())
                .create();

        TestCluster.await(
                START,
                () -> available(client.apps()
                        .deployments()
                        .inNamespace(ns)
                        .withName("mock")
                        .get()),
                "Deployment mock Available");
        Pod pod = client.pods()
                .inNamespace(ns)
                .withLabel("app", "mock")
                .list()
                .getItems()
                .get(0);
        String ip = pod.getStatus().getPodIP();
        assertThat(cluster.subnet.contains(Subnet.parseAddress(ip)))
                .as("pod address %s in %s", ip, cluster.subnet.cidr())
                .isTrue();
        assertThat(pod.getStatus().getHostIP()).isEqualTo(cluster.subnet.host());
        assertThat(conditions(pod))
                .containsEntry("Ready", "True")
                .containsEntry("ContainersReady", "True")
                .containsEntry("Initialized", "True")
                .containsEntry("PodReadyToStartContainers", "True")
                .containsEntry("PodScheduled", "True");

        TestCluster.await(
                Duration.ofSeconds(30),
                () -> readyEndpoints("mock").contains(ip),
                "EndpointSlice of Service mock holding " + ip);

        HttpResponse<String> answer = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://" + ip + ":9000/predict"))
                                .timeout(Duration.ofSeconds(10))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"ndarray\":[[1,2,3,4]]}}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).contains("\"ndarray\"");

        String uid = pod.getMetadata().getUid();
        PodNetNames names = PodNetNames.of(uid);
        assertThat(TestCluster.networkNamespaces()).contains(names.namespace());
        long pid = pid(pod.getStatus().getContainerStatuses().get(0));
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

        client.apps()
                .deployments()
                .inNamespace(ns)
                .withName("mock")
                .withPropagationPolicy(DeletionPropagation.FOREGROUND)
                .delete();
        TestCluster.await(
                Duration.ofSeconds(60),
                () -> client.pods()
                        .inNamespace(ns)
                        .withLabel("app", "mock")
                        .list()
                        .getItems()
                        .isEmpty(),
                "the Deployment's pod deleted");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("container process %s", pid)
                .isFalse();
        assertThat(TestCluster.networkNamespaces()).doesNotContain(names.namespace());
        assertThat(TestCluster.links()).doesNotContain(names.hostVeth());
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainerWithItsExitInLastState() {
        client.pods()
                .inNamespace(ns)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("unhealthy")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(2L)
                        .addNewContainer()
                        .withName("c")
                        .withImage(MOCK)
                        .withNewLivenessProbe()
                        .withNewHttpGet()
                        .withPath("/no-such-path")
                        .withPort(new IntOrString(9000))
                        .endHttpGet()
                        .withInitialDelaySeconds(1)
                        .withPeriodSeconds(1)
                        .withFailureThreshold(2)
                        .endLivenessProbe()
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        TestCluster.await(
                START,
                () -> status("unhealthy", "c")
                        .map(s -> s.getRestartCount() >= 1)
                        .orElse(false),
                "container c restarted after failing its liveness probe");
        ContainerStatus s = status("unhealthy", "c").orElseThrow();
        assertThat(s.getLastState().getTerminated()).isNotNull();
        assertThat(s.getLastState().getTerminated().getExitCode()).isIn(137, 143);
    }

    @Test
    void initContainersVolumesEnvAndSecurityContextHoldInsideTheContainer() throws IOException {
        client.configMaps()
                .inNamespace(ns)
                .resource(new ConfigMapBuilder()
                        .withNewMetadata()
                        .withName("app-config")
                        .endMetadata()
                        .addToData("app.yml", "greeting: hello\n")
                        .addToData("MODE", "fast")
                        .build())
                .create();
        client.secrets()
                .inNamespace(ns)
                .resource(new SecretBuilder()
                        .withNewMetadata()
                        .withName("app-secret")
                        .endMetadata()
                        .addToStringData("password", "s3cret")
                        .build())
                .create();
        String check =
                "cat /etc/seldonj-node-it/app.yml /var/run/secrets/app/password /opt/podinfo-dir/labels /tmp/podinfo-sub/labels"
                        + " /var/run/secrets/kubernetes.io/serviceaccount/token >/dev/null"
                        + " && test \"$(id -u)\" = 8888 && ! touch /usr/seldonj-node-it 2>/dev/null && touch /tmp/ok"
                        + " && test \"$(hostname)\" = rich";
        client.pods()
                .inNamespace(ns)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("rich")
                        .addToLabels("tier", "test")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(3L)
                        .withNewSecurityContext()
                        .withRunAsUser(8888L)
                        .withRunAsGroup(8888L)
                        .withRunAsNonRoot(true)
                        .withFsGroup(8888L)
                        .endSecurityContext()
                        .addNewInitContainer()
                        .withName("check")
                        .withImage(MOCK)
                        .withArgs("--check")
                        .endInitContainer()
                        .addNewContainer()
                        .withName("main")
                        .withImage(MOCK)
                        .withNewSecurityContext()
                        .withReadOnlyRootFilesystem(true)
                        .endSecurityContext()
                        .addNewEnv()
                        .withName("MY_NAME")
                        .withNewValueFrom()
                        .withNewFieldRef()
                        .withFieldPath("metadata.name")
                        .endFieldRef()
                        .endValueFrom()
                        .endEnv()
                        .addNewEnv()
                        .withName("PASSWORD")
                        .withNewValueFrom()
                        .withNewSecretKeyRef()
                        .withName("app-secret")
                        .withKey("password")
                        .endSecretKeyRef()
                        .endValueFrom()
                        .endEnv()
                        .addNewEnv()
                        .withName("GREETING")
                        .withValue("hi $(MY_NAME)")
                        .endEnv()
                        .addNewEnv()
                        .withName("MEM")
                        .withNewValueFrom()
                        .withNewResourceFieldRef()
                        .withResource("limits.memory")
                        .withDivisor(new Quantity("1Mi"))
                        .endResourceFieldRef()
                        .endValueFrom()
                        .endEnv()
                        .addNewEnvFrom()
                        .withPrefix("CFG_")
                        .withNewConfigMapRef()
                        .withName("app-config")
                        .endConfigMapRef()
                        .endEnvFrom()
                        .withNewResources()
                        .addToLimits("memory", new Quantity("512Mi"))
                        .endResources()
                        .addNewVolumeMount()
                        .withName("tmp")
                        .withMountPath("/tmp")
                        .endVolumeMount()
                        .addNewVolumeMount()
                        .withName("config")
                        .withMountPath("/etc/seldonj-node-it")
                        .withReadOnly(true)
                        .endVolumeMount()
                        .addNewVolumeMount()
                        .withName("secret")
                        .withMountPath("/var/run/secrets/app")
                        .withReadOnly(true)
                        .endVolumeMount()
                        .addNewVolumeMount()
                        .withName("podinfo")
                        .withMountPath("/tmp/podinfo-sub")
                        .endVolumeMount()
                        .addNewVolumeMount()
                        .withName("podinfo")
                        .withMountPath("/opt/podinfo-dir")
                        .endVolumeMount()
                        .withNewReadinessProbe()
                        .withNewExec()
                        .withCommand("sh", "-c", check)
                        .endExec()
                        .withPeriodSeconds(1)
                        .endReadinessProbe()
                        .endContainer()
                        .addNewVolume()
                        .withName("tmp")
                        .withNewEmptyDir()
                        .endEmptyDir()
                        .endVolume()
                        .addNewVolume()
                        .withName("config")
                        .withNewConfigMap()
                        .withName("app-config")
                        .addNewItem()
                        .withKey("app.yml")
                        .withPath("app.yml")
                        .endItem()
                        .endConfigMap()
                        .endVolume()
                        .addNewVolume()
                        .withName("secret")
                        .withNewSecret()
                        .withSecretName("app-secret")
                        .endSecret()
                        .endVolume()
                        .addNewVolume()
                        .withName("podinfo")
                        .withNewDownwardAPI()
                        .addNewItem()
                        .withPath("labels")
                        .withNewFieldRef()
                        .withFieldPath("metadata.labels")
                        .endFieldRef()
                        .endItem()
                        .endDownwardAPI()
                        .endVolume()
                        .endSpec()
                        .build())
                .create();

        TestCluster.await(
                START,
                () -> "True"
                        .equals(conditions(client.pods()
                                        .inNamespace(ns)
                                        .withName("rich")
                                        .get())
                                .get("Ready")),
                "pod rich Ready (its exec readiness probe checks mounts, user, read-only root and hostname inside)");
        Pod pod = client.pods().inNamespace(ns).withName("rich").get();
        ContainerStatus init = pod.getStatus().getInitContainerStatuses().get(0);
        assertThat(init.getState().getTerminated().getExitCode()).isZero();
        assertThat(init.getState().getTerminated().getReason()).isEqualTo("Completed");

        long pid = pid(pod.getStatus().getContainerStatuses().get(0));
        Map<String, String> env = environ(pid);
        assertThat(env)
                .containsEntry("MY_NAME", "rich")
                .containsEntry("PASSWORD", "s3cret")
                .containsEntry("GREETING", "hi rich")
                .containsEntry("MEM", "512")
                .containsEntry("CFG_MODE", "fast")
                .containsEntry("HOSTNAME", "rich")
                .containsEntry("KUBERNETES_SERVICE_HOST", cluster.subnet.host())
                .containsEntry("KUBERNETES_SERVICE_PORT", Integer.toString(cluster.apiPort));
        assertThat(Files.readString(Path.of("/proc/" + pid + "/status"))).containsPattern("Uid:\\s+8888\\s");
        assertThat(Path.of("/etc/seldonj-node-it"))
                .as("the overlay keeps the mount point off the host")
                .doesNotExist();
    }

    @Test
    void anUnmappedImageAndAForeignCommandAreReportedOnTheContainers() {
        client.pods()
                .inNamespace(ns)
                .resource(new PodBuilder()
                        .withNewMetadata()
                        .withName("broken")
                        .endMetadata()
                        .withNewSpec()
                        .withTerminationGracePeriodSeconds(1L)
                        .addNewContainer()
                        .withName("unknown")
                        .withImage("acme/unknown:1")
                        .endContainer()
                        .addNewContainer()
                        .withName("shell")
                        .withImage(MOCK)
                        .withCommand("/bin/sh", "-c", "sleep 1")
                        .endContainer()
                        .endSpec()
                        .build())
                .create();
        TestCluster.await(
                START,
                () -> waitingReason("broken", "unknown").isPresent()
                        && waitingReason("broken", "shell").isPresent()
                        && !"ContainerCreating"
                                .equals(waitingReason("broken", "shell").get()),
                "both containers waiting with a reason");
        assertThat(waitingReason("broken", "unknown")).contains("ImageNotMapped");
        assertThat(status("broken", "unknown")
                        .orElseThrow()
                        .getState()
                        .getWaiting()
                        .getMessage())
                .contains("acme/unknown:1")
                .contains("--images");
        assertThat(waitingReason("broken", "shell")).contains("RunContainerError");
        assertThat(status("broken", "shell")
                        .orElseThrow()
                        .getState()
                        .getWaiting()
                        .getMessage())
                .contains(MOCK)
                .contains("[/bin/sh, -c, sleep 1]");
        assertThat(client.pods()
                        .inNamespace(ns)
                        .withName("broken")
                        .get()
                        .getStatus()
                        .getPhase())
                .isEqualTo("Pending");
    }

    private static boolean available(Deployment d) {
        return d != null
                && d.getStatus() != null
                && d.getStatus().getConditions().stream()
                        .anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()))
                && Integer.valueOf(1).equals(d.getStatus().getAvailableReplicas());
    }

    private List<String> readyEndpoints(String service) {
        return client
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(ns)
                .withLabel("kubernetes.io/service-name", service)
                .list()
                .getItems()
                .stream()
                .flatMap(s -> s.getEndpoints().stream())
                .filter(e -> e.getConditions() != null
                        && Boolean.TRUE.equals(e.getConditions().getReady()))
                .map(Endpoint::getAddresses)
                .flatMap(List::stream)
                .toList();
    }

    private static Map<String, String> conditions(Pod pod) {
        if (pod == null || pod.getStatus() == null) {
            return Map.of();
        }
        return pod.getStatus().getConditions().stream()
                .collect(Collectors.toMap(PodCondition::getType, PodCondition::getStatus));
    }

    private Optional<ContainerStatus> status(String pod, String container) {
        Pod p = client.pods().inNamespace(ns).withName(pod).get();
        if (p == null || p.getStatus() == null) {
            return Optional.empty();
        }
        return p.getStatus().getContainerStatuses().stream()
                .filter(s -> container.equals(s.getName()))
                .findFirst();
    }

    private Optional<String> waitingReason(String pod, String container) {
        return status(pod, container)
                .map(ContainerStatus::getState)
                .filter(s -> s.getWaiting() != null)
                .map(s -> s.getWaiting().getReason());
    }

    private static long pid(ContainerStatus status) {
        return Long.parseLong(status.getContainerID().substring("seldonj://".length()));
    }

    private static Map<String, String> environ(long pid) throws IOException {
        String raw = new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8);
        return Arrays.stream(raw.split("\0"))
                .filter(s -> s.contains("="))
                .collect(Collectors.toMap(
                        s -> s.substring(0, s.indexOf('=')), s -> s.substring(s.indexOf('=') + 1), (a, b) -> b));
    }
}
