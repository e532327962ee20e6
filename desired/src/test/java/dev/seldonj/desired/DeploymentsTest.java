package dev.seldonj.desired;

import static dev.seldonj.desired.Fixtures.MODEL;
import static dev.seldonj.desired.Fixtures.container;
import static dev.seldonj.desired.Fixtures.env;
import static dev.seldonj.desired.Fixtures.named;
import static dev.seldonj.desired.Fixtures.ofType;
import static dev.seldonj.desired.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentsTest {

    final List<HasMetadata> objects = render(MODEL);

    @Test
    void namesOneDeploymentPerComponentSpecAsSeldonDoes() {
        assertThat(ofType(objects, Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactly(
                        "mymodel-main-0-transformer-classifier",
                        "mymodel-main-1-remote",
                        "mymodel-canary-0-classifier");
    }

    @Test
    void labelsSelectorsAnnotationsAndReplicasFollowSeldon() {
        Deployment d = named(objects, Deployment.class, "mymodel-main-0-transformer-classifier");
        assertThat(d.getMetadata().getLabels())
                .containsEntry("seldon-deployment-id", "mymodel")
                .containsEntry("app", "mymodel-main-0-transformer-classifier")
                .containsEntry("fluentd", "true")
                .containsEntry("version", "main")
                .containsEntry("owner", "alice")
                .containsEntry("tier", "gpu")
                .containsEntry("app.kubernetes.io/managed-by", "seldon-core")
                .containsEntry("seldon.io/model", "true")
                .containsEntry("seldon.io/transformer", "true")
                .containsEntry("seldon-deployment-contains-svcorch", "true");
        assertThat(d.getSpec().getSelector().getMatchLabels())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "seldon-deployment-id", "mymodel",
                        "seldon-app-svc-transformer", "mymodel-main-transformer",
                        "seldon-app-svc-classifier", "mymodel-main-classifier",
                        "seldon-app", "mymodel-main"));
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(d.getSpec().getSelector().getMatchLabels());
        assertThat(d.getMetadata().getAnnotations())
                .containsEntry("team", "ml")
                .containsEntry("seldon.io/engine-log-level", "DEBUG");
        assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("prometheus.io/path", "/prometheus")
                .containsEntry("prometheus.io/scrape", "true");
        assertThat(d.getSpec().getReplicas()).isEqualTo(2);
        assertThat(named(objects, Deployment.class, "mymodel-canary-0-classifier")
                        .getSpec()
                        .getReplicas())
                .isEqualTo(1);
        assertThat(d.getMetadata().getOwnerReferences()).isEmpty(); // a file has no uid
    }

    @Test
    void userEngineEnvReplacesTheControllersOfTheSameNameOnce() {
        String item = "- name: SELDON_ENABLE_ROUTING_INJECTION";
        String indent = MODEL.lines()
                .filter(l -> l.trim().equals(item))
                .findFirst()
                .orElseThrow()
                .replace(item, "");
        String yaml = MODEL.replace(
                indent + item,
                indent + "- {name: JAVA_TOOL_OPTIONS, value: \"-Xmx1g\"}\n" + indent
                        + "- {name: LOG_LEVEL, value: INFO}\n" + indent + item);
        Container engine = container(
                named(render(yaml), Deployment.class, "mymodel-main-0-transformer-classifier"),
                "seldon-container-engine");
        // Server-side apply keys env by name: one entry each, the user's value (the annotation's last).
        assertThat(engine.getEnv()).extracting(e -> e.getName()).doesNotHaveDuplicates();
        assertThat(env(engine, "JAVA_TOOL_OPTIONS")).isEqualTo("-Xmx1g");
        assertThat(env(engine, "LOG_LEVEL")).isEqualTo("DEBUG");
    }

    @Test
    void injectsTheEngineIntoTheFirstPodOnlyWithExecutorArgumentsAndConfiguredProbes() {
        Deployment first = named(objects, Deployment.class, "mymodel-main-0-transformer-classifier");
        Deployment second = named(objects, Deployment.class, "mymodel-main-1-remote");
        assertThat(first.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("transformer", "classifier", "seldon-container-engine");
        assertThat(second.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("remote");
        Container engine = container(first, "seldon-container-engine");
        assertThat(engine.getImage()).isEqualTo("seldonj/engine:0.1.0");
        assertThat(engine.getArgs())
                .containsExactly(
                        "--sdep",
                        "mymodel",
                        "--namespace",
                        "models",
                        "--predictor",
                        "main",
                        "--http_port",
                        "8000",
                        "--grpc_port",
                        "5001",
                        "--protocol",
                        "seldon",
                        "--transport",
                        "rest",
                        "--prometheus_path",
                        "/prometheus",
                        "--server_type",
                        "rpc",
                        "--log_work_buffer_size",
                        "10000",
                        "--log_write_timeout_ms",
                        "2000",
                        "--full_health_checks=false");
        assertThat(engine.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:8000", "grpc:5001");
        assertThat(engine.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(engine.getReadinessProbe().getInitialDelaySeconds()).isZero();
        assertThat(engine.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/live");
        assertThat(engine.getSecurityContext().getRunAsUser()).isEqualTo(8888L);
        assertThat(engine.getResources().getLimits().get("memory").toString()).isEqualTo("512Mi");
        assertThat(env(engine, "SELDON_ENABLE_ROUTING_INJECTION")).isEqualTo("true");
        assertThat(env(engine, "LOG_LEVEL")).isEqualTo("DEBUG");
        assertThat(env(engine, "REQUEST_LOGGER_DEFAULT_ENDPOINT")).isEqualTo("http://default-broker");
    }

    @Test
    void enginePredictorIsTheDefaultedPredictorWithoutTrafficReplicasOrExplainer() throws Exception {
        Container engine = container(
                named(objects, Deployment.class, "mymodel-main-0-transformer-classifier"), "seldon-container-engine");
        JsonNode predictor = new ObjectMapper().readTree(Base64.getDecoder().decode(env(engine, "ENGINE_PREDICTOR")));
        assertThat(predictor.path("name").asText()).isEqualTo("main");
        assertThat(predictor.has("traffic")).isFalse();
        assertThat(predictor.has("replicas")).isFalse();
        assertThat(predictor.path("graph").path("endpoint").path("service_host").asText())
                .isEqualTo("localhost");
        assertThat(predictor.path("graph").path("endpoint").path("service_port").asInt())
                .isEqualTo(9000);
        JsonNode remote =
                predictor.path("graph").path("children").get(0).path("children").get(0);
        assertThat(remote.path("endpoint").path("service_host").asText())
                .isEqualTo("mymodel-main-remote.models.svc.cluster.local");
    }

    @Test
    void graphContainersGetSeldonPortsEnvProbesAndPodDefaults() {
        Deployment d = named(objects, Deployment.class, "mymodel-main-0-transformer-classifier");
        Container transformer = container(d, "transformer");
        assertThat(transformer.getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:9000", "grpc:9500", "metrics:6000");
        assertThat(container(d, "classifier").getPorts())
                .extracting(p -> p.getName() + ":" + p.getContainerPort())
                .containsExactly("http:9001", "grpc:9501", "metrics:6001");
        assertThat(env(transformer, "PREDICTIVE_UNIT_ID")).isEqualTo("transformer");
        assertThat(env(transformer, "PREDICTIVE_UNIT_SERVICE_PORT")).isEqualTo("9000");
        assertThat(env(transformer, "PREDICTIVE_UNIT_PARAMETERS"))
                .isEqualTo("[{\"name\":\"scale\",\"value\":\"2\",\"type\":\"FLOAT\"}]");
        assertThat(env(transformer, "PREDICTOR_LABELS")).isEqualTo("{\"owner\":\"alice\",\"version\":\"main\"}");
        assertThat(env(transformer, "SELDON_DEPLOYMENT_ID")).isEqualTo("mymodel");
        assertThat(env(transformer, "PREDICTIVE_UNIT_METRICS_ENDPOINT")).isEqualTo("/prometheus");
        assertThat(transformer.getReadinessProbe().getTcpSocket().getPort().getStrVal())
                .isEqualTo("http");
        assertThat(transformer.getLifecycle().getPreStop().getExec().getCommand())
                .containsExactly("/bin/sh", "-c", "/bin/sleep 10");
        assertThat(transformer.getVolumeMounts())
                .anyMatch(m ->
                        m.getName().equals("seldon-podinfo") && m.getMountPath().equals("/etc/podinfo"));
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(8888L);
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(20L);
        assertThat(pod.getVolumes()).anyMatch(v -> v.getName().equals("seldon-podinfo") && v.getDownwardAPI() != null);
    }

    @Test
    void noEngineAnnotationLeavesTheEngineOutAndLabelsTheRootPod() {
        List<HasMetadata> out =
                render(Fixtures.singleModel("plain", "", "    annotations: {seldon.io/no-engine: \"true\"}\n"));
        Deployment d = named(out, Deployment.class, "plain-p-0-m");
        assertThat(d.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("m");
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsEntry("seldon-app", "plain-p");
    }

    @Test
    void separateEnginePodAndAutoscaledReplicas() {
        List<HasMetadata> out = render("""
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: sep}
        spec:
          annotations: {seldon.io/engine-separate-pod: "true"}
          predictors:
          - name: p
            componentSpecs:
            - spec:
                containers: [{name: m, image: example/m:1}]
              hpaSpec: {minReplicas: 1, maxReplicas: 3}
            graph: {name: m, type: MODEL}
        """);
        assertThat(ofType(out, Deployment.class))
                .extracting(d -> d.getMetadata().getName())
                .containsExactly("sep-p-0-m", "sep-p-svc-orch");
        assertThat(named(out, Deployment.class, "sep-p-0-m").getSpec().getReplicas())
                .isNull();
        Deployment orch = named(out, Deployment.class, "sep-p-svc-orch");
        assertThat(orch.getSpec().getTemplate().getSpec().getContainers())
                .extracting(Container::getName)
                .containsExactly("seldon-container-engine");
        assertThat(orch.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("default");
    }

    @Test
    void sslMountsTheCertificateSecretAndServesProbesOverHttps() {
        List<HasMetadata> out = render(Fixtures.singleModel("tls", "", "    ssl: {certSecretName: my-cert}\n"));
        Deployment d = named(out, Deployment.class, "tls-p-0-m");
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes())
                .anyMatch(v ->
                        v.getSecret() != null && v.getSecret().getSecretName().equals("my-cert"));
        Container engine = container(d, "seldon-container-engine");
        assertThat(env(engine, "SELDON_CERT_MOUNT_PATH")).isEqualTo("/cert/");
        assertThat(engine.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(container(d, "m").getVolumeMounts())
                .anyMatch(m -> m.getMountPath().equals("/cert/"));
    }

    @Test
    void overLongNamesAreHashedOrPrefixed() {
        String longName = "a".repeat(40);
        String yaml = """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: NAME}
        spec:
          predictors:
          - name: predictor-with-a-long-name
            componentSpecs:
            - spec:
                containers: [{name: m, image: example/m:1}]
            graph: {name: m, type: MODEL}
        """.replace("NAME", longName);
        assertThat(ofType(render(yaml), Deployment.class).get(0).getMetadata().getName())
                .matches("seldon-[0-9a-f]{32}");
        assertThat(ofType(render(yaml, "deployment-name-as-prefix: true"), Deployment.class)
                        .get(0)
                        .getMetadata()
                        .getName())
                .startsWith(longName.substring(0, 20))
                .hasSizeLessThanOrEqualTo(63);
    }
}
