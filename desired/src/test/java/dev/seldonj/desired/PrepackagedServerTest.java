package dev.seldonj.desired;

import static dev.seldonj.desired.Fixtures.container;
import static dev.seldonj.desired.Fixtures.env;
import static dev.seldonj.desired.Fixtures.ofType;
import static dev.seldonj.desired.Fixtures.render;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

/** Prepackaged servers and the storage initializer. */
class PrepackagedServerTest {

    static String server(String implementation, String protocol, String modelUri) {
        return """
        apiVersion: machinelearning.seldon.io/v1
        kind: SeldonDeployment
        metadata: {name: iris}
        spec:
          protocol: PROTOCOL
          predictors:
          - name: default
            graph:
              name: classifier
              implementation: IMPL
              modelUri: URI
              envSecretRefName: seldon-init-container-secret
              serviceAccountName: user-gcp-sa
        """.replace("PROTOCOL", protocol).replace("IMPL", implementation).replace("URI", modelUri);
    }

    static Deployment only(String yaml) {
        return ofType(render(yaml), Deployment.class).get(0);
    }

    @Test
    void sklearnOnTheSeldonProtocolGetsItsImageModelUriParameterAndInitializer() {
        Deployment d = only(server("SKLEARN_SERVER", "seldon", "gs://seldon-models/sklearn/iris"));
        Container c = container(d, "classifier");
        assertThat(c.getImage()).isEqualTo("seldonj/sklearnserver:0.1.0");
        assertThat(env(c, "PREDICTIVE_UNIT_PARAMETERS")).contains("\"name\":\"model_uri\",\"value\":\"/mnt/models\"");
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("user-gcp-sa");
        Container init = pod.getInitContainers().get(0);
        assertThat(init.getName()).isEqualTo("classifier-model-initializer");
        assertThat(init.getImage()).isEqualTo("seldonj/storage-initializer:0.1.0");
        assertThat(init.getArgs()).containsExactly("gs://seldon-models/sklearn/iris", "/mnt/models");
        assertThat(init.getEnvFrom().get(0).getSecretRef().getName()).isEqualTo("seldon-init-container-secret");
        assertThat(init.getResources().getLimits().get("memory").toString()).isEqualTo("1Gi");
        assertThat(pod.getVolumes())
                .anyMatch(v -> v.getName().equals("classifier-provision-location") && v.getEmptyDir() != null);
        assertThat(c.getVolumeMounts())
                .anyMatch(m -> m.getMountPath().equals("/mnt/models") && Boolean.TRUE.equals(m.getReadOnly()));
    }

    @Test
    void v2ProtocolRunsMlserverWithItsRuntimeAndV2Probes() {
        Container c = container(only(server("XGBOOST_SERVER", "v2", "s3://bucket/xgb")), "classifier");
        assertThat(c.getImage()).isEqualTo("seldonio/mlserver:1.3.5-xgboost");
        assertThat(env(c, "MLSERVER_MODEL_IMPLEMENTATION")).isEqualTo("mlserver_xgboost.XGBoostModel");
        assertThat(env(c, "MLSERVER_MODEL_URI")).isEqualTo("/mnt/models");
        assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
    }

    @Test
    void kfservingFallsBackToTheV2ImageAndTritonGetsItsCommandLine() {
        Container triton =
                container(only(server("TRITON_SERVER", "kfserving", "https://example.com/models")), "classifier");
        assertThat(triton.getImage()).isEqualTo("nvcr.io/nvidia/tritonserver:21.08-py3");
        assertThat(triton.getArgs()).contains("--http-port=9000", "--grpc-port=9500", "--model-repository=/mnt/models");
    }

    @Test
    void tensorflowBehindTheProxyGetsATfservingSidecarWithTheModel() {
        Deployment d = only(server("TENSORFLOW_SERVER", "seldon", "gs://seldon-models/tf/mnist"));
        Container proxy = container(d, "classifier");
        Container tf = container(d, "tfserving");
        assertThat(proxy.getImage()).isEqualTo("seldonio/tfserving-proxy:1.18.2");
        assertThat(env(proxy, "PREDICTIVE_UNIT_PARAMETERS"))
                .contains("grpc_endpoint")
                .contains("localhost:2000");
        assertThat(tf.getImage()).isEqualTo("tensorflow/serving:2.1.0");
        assertThat(tf.getArgs()).contains("--model_base_path=/mnt/models", "--model_name=classifier");
        assertThat(tf.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/mnt/models"));
    }

    @Test
    void pvcUrisMountTheClaimForTheInitializer() {
        Deployment d = only(server("SKLEARN_SERVER", "seldon", "pvc://models-claim/iris/v1"));
        var pod = d.getSpec().getTemplate().getSpec();
        assertThat(pod.getVolumes())
                .anyMatch(v -> v.getPersistentVolumeClaim() != null
                        && v.getPersistentVolumeClaim().getClaimName().equals("models-claim"));
        assertThat(pod.getInitContainers().get(0).getArgs()).containsExactly("/mnt/pvc/iris/v1", "/mnt/models");
    }
}
