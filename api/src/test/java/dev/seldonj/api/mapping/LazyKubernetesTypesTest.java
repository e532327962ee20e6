package dev.seldonj.api.mapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.seldonj.api.model.SeldonDeployment;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

class LazyKubernetesTypesTest {

    private static final String SDEP = """
      apiVersion: machinelearning.seldon.io/v1
      kind: SeldonDeployment
      metadata: {name: s, labels: {a: b}}
      spec:
        predictors:
        - name: p
          graph: {name: m, type: MODEL}
          componentSpecs:
          - metadata: {annotations: {x: y}}
            hpaSpec:
              maxReplicas: 3
              metrics: [{type: Resource, resource: {name: cpu, targetAverageUtilization: 70}}]
            spec:
              containers:
              - name: m
                image: m:1
                env: [{name: A, value: "1"}, {name: B, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
                resources: {requests: {cpu: 100m, memory: 1Gi}}
                readinessProbe: {httpGet: {path: /ready, port: 9000}, periodSeconds: 5}
                volumeMounts: [{name: v, mountPath: /mnt}]
              volumes:
              - name: v
                emptyDir: {}
              - name: c
                configMap: {name: cm, items: [{key: k, path: p}]}
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms: [{matchExpressions: [{key: zone, operator: In, values: [a]}]}]
              tolerations: [{key: k, operator: Exists, effect: NoSchedule}]
      """;

    /** The same mapper as ManifestMapper's but building every deserializer up front, as Jackson does by itself. */
    private static final ObjectMapper EAGER =
            new ObjectMapper(new YAMLFactory()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void bindsADeploymentExactlyAsEagerDeserializersDo() throws Exception {
        JsonNode doc = ManifestMapper.mapper().readTree(SDEP);
        SeldonDeployment lazy = ManifestMapper.bind(doc);
        SeldonDeployment eager = EAGER.convertValue(doc, SeldonDeployment.class);

        assertThat(lazy).usingRecursiveComparison().isEqualTo(eager);
        Container container = lazy.getSpec()
                .getPredictors()
                .get(0)
                .getComponentSpecs()
                .get(0)
                .getSpec()
                .getContainers()
                .get(0);
        assertThat(container.getResources().getRequests()).containsEntry("cpu", new Quantity("100m"));
        assertThat(container.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString(9000));
        assertThat(container.getEnv().get(1).getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.name");
        assertThat(lazy.getSpec()
                        .getPredictors()
                        .get(0)
                        .getComponentSpecs()
                        .get(0)
                        .getSpec()
                        .getVolumes())
                .extracting(v -> v.getName())
                .containsExactly("v", "c");
    }

    @Test
    void aBadValueInsideAPodSpecIsReportedAsWithoutIt() throws Exception {
        JsonNode doc = ManifestMapper.mapper().readTree(SDEP.replace("periodSeconds: 5", "periodSeconds: often"));
        String eager = messageOf(() -> EAGER.convertValue(doc, SeldonDeployment.class));
        assertThatThrownBy(() -> ManifestMapper.bind(doc))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(eager)
                .hasMessageContaining("often")
                .hasMessageContaining("periodSeconds");
    }

    private static String messageOf(Runnable bind) {
        try {
            bind.run();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected the binding to fail");
    }
}
