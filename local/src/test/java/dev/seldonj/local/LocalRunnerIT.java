package dev.seldonj.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.local.plan.PodPlan;
import dev.seldonj.local.plan.RunPlan;
import dev.seldonj.local.process.LocalProcess;
import dev.seldonj.local.testing.RenderedObjects;
import dev.seldonj.local.testing.TestImages;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.SeldonGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runs a three-predictor SeldonDeployment (main 75 %, canary 25 %, a shadow) whose "images" are real
 * processes: the fake engine only gets ready when the rewritten ENGINE_PREDICTOR reaches its model,
 * and both pods declare the same ports (8000, 9000...), so they only run side by side if every port
 * was moved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRunnerIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int REQUESTS = 200;
    private static final String SPLIT = """
      apiVersion: machinelearning.seldon.io/v1
      kind: SeldonDeployment
      metadata: {name: iris, namespace: models}
      spec:
        predictors:
        - name: main
          traffic: 75
          graph: {name: classifier, type: MODEL}
          componentSpecs: [{spec: {containers: [{name: classifier, image: "test/model:1"}]}}]
        - name: canary
          traffic: 25
          graph: {name: classifier, type: MODEL}
          componentSpecs: [{spec: {containers: [{name: classifier, image: "test/model:2"}]}}]
        - name: mirror
          shadow: true
          graph: {name: classifier, type: MODEL}
          componentSpecs: [{spec: {containers: [{name: classifier, image: "test/model:1"}]}}]
      """;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final CountDownLatch mirrored = new CountDownLatch(REQUESTS);
    private final List<Long> pids = new ArrayList<>();
    private Path dir;
    private RunningDeployment deployment;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("local-runner-it");
        Path images = TestImages.write(dir, Map.of());
        RunPlan plan = RunPlan.of(RenderedObjects.of(RenderedObjects.read(SPLIT)));
        deployment = LocalRunner.start(
                plan,
                TestImages.options(
                        images,
                        line -> {
                            if (line.startsWith("iris-mirror-0-classifier/classifier | predicted for mirror")) {
                                mirrored.countDown();
                            }
                        },
                        42,
                        Duration.ofSeconds(90)));
        for (LocalProcess p : deployment.processes()) {
            pids.add(p.pid());
            p.process().toHandle().descendants().forEach(d -> pids.add(d.pid()));
        }
    }

    @AfterAll
    void stop() {
        if (deployment == null) {
            return;
        }
        deployment.close();
        assertThat(pids)
                .isNotEmpty()
                .allSatisfy(pid -> assertThat(ProcessHandle.of(pid)
                                .map(ProcessHandle::isAlive)
                                .orElse(false))
                        .as("pid %d alive", pid)
                        .isFalse());
    }

    @Test
    void everyPodPortGetsItsOwnLocalPort() {
        assertThat(deployment.processes()).hasSize(6);
        Set<Integer> local = new HashSet<>();
        int declared = 0;
        for (String pod : List.of("iris-main-0-classifier", "iris-canary-0-classifier", "iris-mirror-0-classifier")) {
            PodPlan plan = new PodPlan("models", pod, Map.of(), List.of(), List.of());
            Map<Integer, Integer> ports = deployment.ports().of(plan);
            assertThat(ports).containsKeys(8000, 5001, 9000, 9500, 6000);
            declared += ports.size();
            local.addAll(ports.values());
        }
        assertThat(local).hasSize(declared);
    }

    @Test
    void restSplitsTrafficByWeightAndMirrorsToTheShadow() throws Exception {
        int canary = 0;
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> response =
                    predict("/seldon/models/iris/api/v1.0/predictions", "{\"data\":{\"ndarray\":[[1,2,3,4]]}}");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.at("/data/ndarray/0/3").asInt()).isEqualTo(4);
            String predictor = response.headers().firstValue("X-Predictor").orElseThrow();
            assertThat(predictor).isIn("main", "canary");
            assertThat(body.at("/meta/requestPath/classifier").asText())
                    .isEqualTo(predictor.equals("main") ? "test/model:1" : "test/model:2");
            canary += predictor.equals("canary") ? 1 : 0;
        }
        // 25 % of 200 is 50; with the seed the count is fixed, the bounds say what the split means.
        assertThat(canary).isBetween(30, 70);
        assertThat(mirrored.await(60, TimeUnit.SECONDS))
                .as("every request mirrored to the shadow")
                .isTrue();
    }

    @Test
    void unknownPathsAnswer404NamingTheServedPrefixes() throws Exception {
        HttpResponse<String> response = predict("/seldon/models/nope/api/v1.0/predictions", "{}");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("/seldon/models/iris/").contains("FAILURE");
    }

    @Test
    void grpcIsRoutedBySeldonAndNamespaceMetadataOnTheRestPort() {
        assertThat(deployment.grpcPort()).isEqualTo(deployment.restPort());
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", deployment.grpcPort())
                .usePlaintext()
                .build();
        try {
            SeldonMessage request =
                    SeldonMessage.newBuilder().setStrData("hello").build();
            Set<String> predictors = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                SeldonMessage answer = stub(channel, "iris", "models").predict(request);
                assertThat(answer.getStrData()).isEqualTo("hello");
                predictors.add(answer.getMeta().getTagsOrThrow("predictor").getStringValue());
            }
            assertThat(predictors).containsExactlyInAnyOrder("main", "canary");
            assertThatThrownBy(() -> stub(channel, "other", "models").predict(request))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription()).contains("no gRPC Mapping");
                    });
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void printsTheCurlCommandForTheDeployment() {
        assertThat(deployment.usage())
                .anySatisfy(line -> assertThat(line)
                        .startsWith(
                                "curl -X POST -H 'Content-Type: application/json' -d '{\"data\":{\"ndarray\":[[1,2,3,4]]}}' ")
                        .endsWith("http://localhost:" + deployment.restPort()
                                + "/seldon/models/iris/api/v1.0/predictions"));
    }

    private static SeldonGrpc.SeldonBlockingStub stub(ManagedChannel channel, String seldon, String namespace) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("seldon", Metadata.ASCII_STRING_MARSHALLER), seldon);
        headers.put(Metadata.Key.of("namespace", Metadata.ASCII_STRING_MARSHALLER), namespace);
        return SeldonGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private HttpResponse<String> predict(String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + deployment.restPort() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
