package dev.seldonj.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seldonj.api.model.SeldonDeployment;
import dev.seldonj.api.validation.SeldonDeploymentValidator;
import dev.seldonj.controller.app.OperatorRunner;
import dev.seldonj.controller.config.OperatorConfig;
import dev.seldonj.controller.config.OperatorConfigLoader;
import dev.seldonj.local.RunOptions;
import dev.seldonj.local.gateway.Gateway;
import dev.seldonj.local.images.ImageCommands;
import dev.seldonj.local.ports.PortAllocator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.seldon.protos.PredictionProtos.DefaultData;
import io.seldon.protos.PredictionProtos.SeldonMessage;
import io.seldon.protos.PredictionProtos.Tensor;
import io.seldon.protos.SeldonGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, item 3: install -> deploy -> predict with everything real except the cluster. Helm renders
 * both charts, the operator chart's objects go into fabric8's CRUD mock API server and its ConfigMap
 * configures the real controller (JOSDK reconciler, leader election included), the single-model
 * chart's SeldonDeployment is reconciled into Deployments, Services and Mappings, the local runner runs
 * that pod (the real engine and mock classifier jars) behind the Emissary-style gateway, and deleting
 * the SeldonDeployment takes everything down through owner references.
 */
@EnableKubernetesMockClient(crud = true)
class InstallDeployPredictIT {

  private static final String OPERATOR_NAMESPACE = "seldon-system";
  private static final String OPERATOR_RELEASE = "seldon-core-operator";
  private static final String NAMESPACE = "seldon";
  private static final String RELEASE = "seldon-model";
  private static final String MODEL_IMAGE = "seldonj/mock-classifier:0.1.0";
  /** The operator chart's objects a cluster needs before the controller's pod starts. */
  private static final Set<String> OPERATOR_KINDS = Set.of("CustomResourceDefinition", "ConfigMap", "ServiceAccount",
      "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
  private static final ObjectMapper JSON = new ObjectMapper();

  static KubernetesClient client;
  static KubernetesMockServer server;

  private OperatorRunner operator;
  private LocalKubelet kubelet;

  @AfterEach
  void stopEverything() {
    if (kubelet != null) {
      kubelet.close();
    }
    if (operator != null) {
      operator.stop();
    }
  }

  @Test
  void installDeployPredictAndDelete() throws Exception {
    // (a) install: the operator chart's CRD, configuration and RBAC, then the controller with that configuration.
    List<JsonNode> operatorChart = HelmChart.template(OPERATOR_RELEASE, OPERATOR_RELEASE, OPERATOR_NAMESPACE, Map.of());
    List<HasMetadata> installed = MockCluster.create(client, operatorChart, OPERATOR_KINDS);
    assertThat(installed).extracting(HasMetadata::getKind)
        .contains("CustomResourceDefinition", "ConfigMap", "ServiceAccount", "ClusterRole", "ClusterRoleBinding");
    CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions()
        .withName("seldondeployments.machinelearning.seldon.io").get();
    assertThat(crd.getSpec().getVersions()).allSatisfy(v -> assertThat(v.getSubresources().getStatus()).isNotNull());
    MockCluster.installEmissaryMappingCrd(client);
    MockCluster.allowLeases(server);
    ConfigMap configMap = client.configMaps().inNamespace(OPERATOR_NAMESPACE).withName(OPERATOR_RELEASE + "-config").get();
    OperatorConfig config = OperatorConfigLoader.fromYaml(configMap.getData().get("application.yml"));
    assertThat(config.leaderElection().enabled()).isTrue();
    operator = new OperatorRunner(client, config, new SimpleMeterRegistry(), Clock.systemUTC(), OPERATOR_NAMESPACE);
    eventually("the controller takes its Lease").until(() -> client.leases().inNamespace(OPERATOR_NAMESPACE).withName(OPERATOR_RELEASE + "-leader").get() != null);

    // (b) deploy: the single-model chart's SeldonDeployment, admitted by the webhook's validator.
    List<JsonNode> modelChart = HelmChart.template("seldon-single-model", RELEASE, NAMESPACE,
        Map.of("model.image.name", MODEL_IMAGE));
    JsonNode rendered = modelChart.stream().filter(o -> o.path("kind").asText().equals("SeldonDeployment"))
        .findFirst().orElseThrow();
    SeldonDeployment sdep = client.resource(SeldonDeploymentValidator.withDefaults().validate(rendered)
        .orThrow("seldon-single-model")).create();

    // (c) the controller creates Seldon's objects and reports Creating while no pod is ready.
    String deploymentName = RELEASE + "-default-0-model";
    Set<String> expected = Set.of("Deployment/" + deploymentName, "Service/" + RELEASE + "-default",
        "Service/" + RELEASE + "-default-model", "Mapping/seldon-" + NAMESPACE + "-" + RELEASE + "-default-rest",
        "Mapping/seldon-" + NAMESPACE + "-" + RELEASE + "-default-grpc");
    eventually("Deployment, Services and Mappings created; state Creating").until(() -> identities(childrenIn(NAMESPACE)).containsAll(expected) && "Creating".equals(state()));
    assertThat(identities(childrenIn(NAMESPACE))).containsExactlyInAnyOrderElementsOf(expected);
    Deployment deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(deploymentName).get();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers())
        .extracting(c -> c.getName() + "=" + c.getImage())
        .containsExactlyInAnyOrder("model=" + MODEL_IMAGE, "seldon-container-engine=" + config.engine().image());

    // The pod runs locally; once ready, its Deployment reports it available.
    kubelet = LocalKubelet.start(client, NAMESPACE, runOptions());
    int gatewayPort = kubelet.running().restPort();

    // (d) predict through the gateway path, REST and gRPC.
    HttpResponse<String> rest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
            "http://127.0.0.1:" + gatewayPort + "/seldon/" + NAMESPACE + "/" + RELEASE + "/api/v1.0/predictions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{\"ndarray\":[[1,2,5]]}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
    JsonNode answer = JSON.readTree(rest.body());
    assertThat(answer.path("data").path("names").toString()).isEqualTo("[\"proba\"]");
    assertThat(answer.path("data").path("ndarray").toString()).isEqualTo("[[0.43782349911420193]]");

    SeldonMessage grpcAnswer = predictOverGrpc(gatewayPort, SeldonMessage.newBuilder()
        .setData(DefaultData.newBuilder().setTensor(Tensor.newBuilder().addShape(1).addShape(3)
            .addValues(1).addValues(2).addValues(5))).build());
    assertThat(grpcAnswer.getData().getNamesList()).containsExactly("proba");
    assertThat(grpcAnswer.getData().getTensor().getShapeList()).containsExactly(1, 1);
    assertThat(grpcAnswer.getData().getTensor().getValuesList()).containsExactly(0.43782349911420193);

    // (e) the SeldonDeployment is Available, with its address and conditions.
    eventually("state Available").until(() -> "Available".equals(state()));
    var status = current().getStatus();
    assertThat(status.getAddress().getUrl())
        .isEqualTo("http://" + RELEASE + "-default." + NAMESPACE + ".svc.cluster.local:8000/api/v1.0/predictions");
    assertThat(status.getDeploymentStatus().get(deploymentName).getAvailableReplicas()).isEqualTo(1);
    assertThat(status.getConditions()).extracting(c -> c.getType() + "=" + c.getStatus())
        .contains("DeploymentsReady=True", "ServicesReady=True", "Ready=True");

    // (f) every object the controller created is owned by the SeldonDeployment (what the garbage collector follows).
    List<HasMetadata> children = childrenIn(NAMESPACE);
    for (HasMetadata child : children) {
      assertThat(child.getMetadata().getOwnerReferences()).as(identity(child)).singleElement().satisfies(ref ->
          assertOwnedBy(ref, sdep));
    }
    client.resource(sdep).delete();
    eventually("the SeldonDeployment is deleted").until(() -> current() == null);
    // The mock server has no garbage collector: delete what names the SeldonDeployment as its owner, as it would.
    for (HasMetadata child : children) {
      if (child.getMetadata().getOwnerReferences().stream().anyMatch(r -> r.getUid().equals(sdep.getMetadata().getUid()))) {
        client.resource(child).delete();
      }
    }
    eventually("no object left in " + NAMESPACE).until(() -> childrenIn(NAMESPACE).isEmpty());
    assertThat(kubelet.stopped().get(60, TimeUnit.SECONDS)).isEqualTo(deploymentName);
    assertThat(kubelet.running().processes()).isNotEmpty().noneMatch(p -> p.isAlive());
    assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(this::describe).toList())
        .as("processes left behind").isEmpty();
  }

  private static ConditionFactory eventually(String what) {
    return await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
  }

  private RunOptions runOptions() {
    String java = ProcessHandle.current().info().command().orElse("java");
    return new RunOptions(ImageCommands.load(HelmChart.REPOSITORY, java, null), 0, Gateway.SAME_PORT, new Random(1),
        Duration.ofSeconds(120), System.out::println, PortAllocator.ephemeral());
  }

  private static SeldonMessage predictOverGrpc(int port, SeldonMessage request) throws InterruptedException {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("seldon", Metadata.ASCII_STRING_MARSHALLER), RELEASE);
    headers.put(Metadata.Key.of("namespace", Metadata.ASCII_STRING_MARSHALLER), NAMESPACE);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      return SeldonGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .withDeadlineAfter(30, TimeUnit.SECONDS).predict(request);
    } finally {
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private static SeldonDeployment current() {
    return client.resources(SeldonDeployment.class).inNamespace(NAMESPACE).withName(RELEASE).get();
  }

  private static String state() {
    SeldonDeployment sdep = current();
    return sdep == null || sdep.getStatus() == null ? null : sdep.getStatus().getState();
  }

  /** Every object of the kinds the controller creates, in a namespace, whoever created them. */
  private static List<HasMetadata> childrenIn(String namespace) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
    objects.addAll(client.services().inNamespace(namespace).list().getItems());
    objects.addAll(MockCluster.mappings(client, namespace));
    objects.addAll(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).list().getItems());
    objects.addAll(client.policy().v1().podDisruptionBudget().inNamespace(namespace).list().getItems());
    return objects;
  }

  private static List<String> identities(List<HasMetadata> objects) {
    return objects.stream().map(InstallDeployPredictIT::identity).toList();
  }

  private static String identity(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }

  private static void assertOwnedBy(OwnerReference ref, SeldonDeployment sdep) {
    assertThat(ref.getApiVersion()).isEqualTo("machinelearning.seldon.io/v1");
    assertThat(ref.getKind()).isEqualTo("SeldonDeployment");
    assertThat(ref.getName()).isEqualTo(RELEASE);
    assertThat(ref.getUid()).isEqualTo(sdep.getMetadata().getUid());
    assertThat(ref.getController()).isTrue();
    assertThat(ref.getBlockOwnerDeletion()).isTrue();
  }

  private String describe(ProcessHandle process) {
    return process.pid() + " " + process.info().commandLine().orElse("?");
  }
}
