package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.local.errors.RunnerException;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.process.LocalProcess;
import dev.seldonj.local.process.ProcessSupervisor;
import dev.seldonj.local.testing.FakeModel;
import dev.seldonj.local.testing.RenderedObjects;
import dev.seldonj.local.testing.TestImages;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up failures, a graph across two pods (Service DNS names), and stopping whole process trees. */
class LocalRunnerLifecycleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aNodeInAnotherPodIsReachedThroughItsServiceName() throws Exception {
        String yaml = """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: chain}
        spec:
          predictors:
          - name: p
            graph:
              name: transformer
              type: TRANSFORMER
              children: [{name: classifier, type: MODEL}]
            componentSpecs:
            - spec: {containers: [{name: transformer, image: "test/model:t"}]}
            - spec: {containers: [{name: classifier, image: "test/model:c"}]}
        """;
        List<HasMetadata> objects = RenderedObjects.of(RenderedObjects.read(yaml));
        Deployment enginePod = (Deployment) objects.stream()
                .filter(o -> o.getMetadata().getName().equals("chain-p-0-transformer"))
                .findFirst()
                .orElseThrow();
        String predictor = new String(
                Base64.getDecoder()
                        .decode(enginePod
                                .getSpec()
                                .getTemplate()
                                .getSpec()
                                .getContainers()
                                .get(1)
                                .getEnv()
                                .get(0)
                                .getValue()),
                StandardCharsets.UTF_8);
        assertThat(predictor)
                .as("the engine reaches the classifier by its Service's DNS name")
                .contains("\"service_host\":\"chain-p-classifier.default.svc.cluster.local\"");
        try (RunningDeployment deployment =
                LocalRunner.start(RunPlan.of(objects), options(Map.of(), Duration.ofSeconds(90)))) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + deployment.restPort()
                                            + "/seldon/default/chain/api/v1.0/predictions"))
                                    .POST(
                                            HttpRequest.BodyPublishers.ofString(
                                                    "{\"data\":{\"names\":[\"a\"],\"tensor\":{\"shape\":[1,1],\"values\":[7]}}}"))
                                    .header("Content-Type", "application/json")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.at("/meta/requestPath/transformer").asText()).isEqualTo("test/model:t");
            assertThat(body.at("/meta/requestPath/classifier").asText()).isEqualTo("test/model:c");
            assertThat(body.at("/data/tensor/values/0").asInt()).isEqualTo(7);
        }
    }

    @Test
    void anUnknownImageFailsBeforeAnythingStartsNamingTheImageAndTheMappingLine() throws Exception {
        List<HasMetadata> objects = new ArrayList<>(RenderedObjects.of(RenderedObjects.read("""
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: unknown}
        spec:
          predictors:
          - name: p
            graph: {name: m, type: MODEL}
            componentSpecs: [{spec: {containers: [{name: m, image: "acme/unknown:2.0"}]}}]
        """)));
        ProcessSupervisor supervisor = new ProcessSupervisor(line -> {});
        assertThatThrownBy(() ->
                        LocalRunner.start(RunPlan.of(objects), options(Map.of(), Duration.ofSeconds(5)), supervisor))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("no local command for image acme/unknown:2.0 (used by container unknown-p-0-m/m)")
                .hasMessageContaining("--images FILE")
                .hasMessageContaining("acme/unknown:2.0: {command: [");
        assertThat(supervisor.processes()).isEmpty();
    }

    @Test
    void aContainerThatExitsBeforeItIsReadyFailsTheRunWithItsExitCodeAndOutput() throws Exception {
        var options = options(
                Map.of("test/crash", List.of("sh", "-c", "echo cannot load model.joblib; exit 3")),
                Duration.ofSeconds(60));
        assertThatThrownBy(() -> LocalRunner.start(RunPlan.of(List.of(pod("crash", "test/crash:1", 9000))), options))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("crash/c exited with code 3 before it was ready")
                .hasMessageContaining("cannot load model.joblib");
    }

    @Test
    void aContainerThatNeverListensFailsAfterTheTimeoutNamingWhatWasAwaited() throws Exception {
        var options = options(
                Map.of("test/silent", List.of("sh", "-c", "echo still loading; exec sleep 60")), Duration.ofSeconds(1));
        assertThatThrownBy(() -> LocalRunner.start(RunPlan.of(List.of(pod("silent", "test/silent:1", 9000))), options))
                .isInstanceOf(RunnerException.class)
                .hasMessageContaining("silent/c was not ready after 1 s (waiting for TCP connection to 127.0.0.1")
                .hasMessageContaining("still loading");
    }

    @Test
    void aProcessThatDiesWhileRunningIsReportedWithItsExitCodeAndTheGatewayAnswers503() throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        Path images = TestImages.write(
                dir,
                Map.of(
                        "seldonio/mock_classifier",
                        List.of(TestImages.JAVA, "-cp", TestImages.CLASSPATH, FakeModel.class.getName())));
        try (RunningDeployment deployment = LocalRunner.start(
                RunPlan.of(RenderedObjects.of(RenderedObjects.seed004())),
                TestImages.options(images, output::add, 1, Duration.ofSeconds(90)))) {
            LocalProcess engine = deployment.processes().stream()
                    .filter(p -> p.name().endsWith("/seldon-container-engine"))
                    .findFirst()
                    .orElseThrow();
            engine.process().destroyForcibly();
            LocalProcess exited = deployment.firstUnexpectedExit().get(30, TimeUnit.SECONDS);
            assertThat(exited.name()).isEqualTo("seldon-model-example-0-classifier/seldon-container-engine");
            assertThat(exited.exitCode()).isEqualTo(137);
            assertThat(output)
                    .contains(
                            "runner | seldon-model-example-0-classifier/seldon-container-engine exited with code 137");
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + deployment.restPort()
                                            + "/seldon/default/seldon-model/api/v1.0/predictions"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body())
                    .contains("seldon-model-example.default:8000")
                    .contains("unavailable");
        }
    }

    @Test
    void closingStopsEveryProcessAndItsChildren() throws Exception {
        var options = options(
                Map.of("test/forker", List.of("sh", "-c", "sleep 300 & sleep 300 & echo forked; wait")),
                Duration.ofSeconds(30));
        RunningDeployment deployment =
                LocalRunner.start(RunPlan.of(List.of(pod("forker", "test/forker:1", null))), options);
        List<ProcessHandle> tree = new ArrayList<>();
        for (LocalProcess p : deployment.processes()) {
            tree.add(p.process().toHandle());
        }
        // The shell forks its two sleeps right after it starts; wait for them to exist.
        ProcessHandle shell = tree.get(0);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (shell.children().count() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        shell.descendants().forEach(tree::add);
        assertThat(tree).hasSizeGreaterThanOrEqualTo(3);
        deployment.close();
        assertThat(tree)
                .allSatisfy(
                        p -> assertThat(p.isAlive()).as("pid %d alive", p.pid()).isFalse());
        assertThat(deployment.firstUnexpectedExit())
                .as("a stop is not an unexpected exit")
                .isNotDone();
    }

    private RunOptions options(Map<String, List<String>> extraImages, Duration readyTimeout) throws Exception {
        return TestImages.options(TestImages.write(dir, extraImages), line -> {}, 7, readyTimeout);
    }

    private static HasMetadata pod(String name, String image, Integer port) {
        var container = new ContainerBuilder().withName("c").withImage(image);
        if (port != null) {
            container.addNewPort().withName("http").withContainerPort(port).endPort();
        }
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", name))
                .endMetadata()
                .withNewSpec()
                .withContainers(container.build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
